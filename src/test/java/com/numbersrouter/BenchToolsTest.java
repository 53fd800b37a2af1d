package com.numbersrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.tools.ToolProvider;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.NodeTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The load generator the README's benchmarks are measured with still compiles and still drives a node: a short run
 * against the test node, with Bandwidth's challenge flow, must be answered 200.
 */
@ExtendWith(OutputCaptureExtension.class)
class BenchToolsTest extends NodeTest {

    /** The flood's hundreds of orders and decisions must not be left for the next test class on this node. */
    @AfterEach
    void emptyTheQueuesItFilled() {
        BROKER.purge(ORDERS);
        BROKER.purge("bandwidth.portout.decisions");
    }

    @Test
    void floodCompilesAndItsOrdersAndPortOutsAreAnswered(@TempDir Path classes, CapturedOutput output) throws Exception {
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", classes.toString(), "bench/Flood.java");
        assertThat(compiled).isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()})) {
            loader.loadClass("Flood").getMethod("main", String[].class).invoke(null, (Object) new String[] {
                    "--url=http://localhost:" + port + "/webhooks/bandwidth", "--management=",
                    "--user=" + BandwidthClient.USERNAME, "--password=" + BandwidthClient.PASSWORD,
                    "--mix=orders=1,portout=1", "--challenge=true", "--duration=1s", "--concurrency=2",
                    "--report-every=1s"});
        }

        assertThat(output.getOut())
                .containsPattern("orders +statuses \\{200=\\d+}")
                .containsPattern("portout +statuses \\{200=\\d+}")
                .contains("0 connection failures");
        for (String script : new String[] {"flood.sh", "portout.sh", "compare.sh", "subscribers.sh", "spool-drain.sh", "startup.sh",
                "slow-clients.sh"}) {
            assertThat(Files.isExecutable(Path.of("bench", script))).as(script).isTrue();
        }
    }

    /** The slow-client tool of "Capacity and benchmarks": its orders are answered 200 beside its slow connections. */
    @Test
    void slowClientsCompilesAndItsOrdersAreAnsweredBesideItsSlowConnections(@TempDir Path classes, CapturedOutput output)
            throws Exception {
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", classes.toString(), "bench/SlowClients.java");
        assertThat(compiled).isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()})) {
            loader.loadClass("SlowClients").getMethod("main", String[].class).invoke(null, (Object) new String[] {
                    "--url=http://localhost:" + port + "/webhooks/bandwidth",
                    "--user=" + BandwidthClient.USERNAME, "--password=" + BandwidthClient.PASSWORD,
                    "--slow=body", "--connections=20", "--interval=1s", "--duration=2s"});
        }

        assertThat(output.getOut()).contains("orders sent beside 20 slow (body) connections: 2, answered 200: 2");
    }
}
