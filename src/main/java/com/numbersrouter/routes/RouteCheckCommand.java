package com.numbersrouter.routes;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.numbersrouter.NumbersRouterApplication;
import org.apache.camel.CamelContext;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * {@code java -jar numbers-router.jar check [--routes=DIR] [--subscribers=FILE] [--rules=FILE]}: validates a routes
 * folder, the subscriber directory and the port-out rules offline, with the same checks and messages as a live
 * reload, and exits 1 if anything is wrong. Operators run it in their own CI before copying files to a node.
 *
 * <p>It starts the node's beans (so bean references and placeholders are checked for real) with no web server, no
 * broker, no SMTP server and no routes running.
 */
public final class RouteCheckCommand {

    public static final String CHECK_MODE = "numbers-router.check-mode";

    private RouteCheckCommand() {
    }

    public static int run(String[] args, PrintStream out) {
        return run(args, out, true);
    }

    /** @param quiet turn the node's logging down to errors (logging levels are JVM-wide: tests keep theirs) */
    static int run(String[] args, PrintStream out, boolean quiet) {
        // The spool and the audit journal in folders of the check's own: run beside a node, in its folder, the check
        // must neither clear that node's unfinished spool writes nor be refused the folders the node holds.
        Path scratch;
        try {
            scratch = Files.createTempDirectory("numbers-router-check");
        } catch (IOException e) {
            out.println("INVALID: cannot create a temporary folder for the check: " + e.getMessage());
            return 1;
        }
        try {
            return run(args, out, quiet, scratch);
        } finally {
            FileSystemUtils.deleteRecursively(scratch.toFile());
        }
    }

    private static int run(String[] args, PrintStream out, boolean quiet, Path scratch) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("numbers-router.spool.directory", scratch.resolve("spool").toString());
        properties.put("numbers-router.portout.audit.directory", scratch.resolve("portout-decisions").toString());
        properties.put(CHECK_MODE, "true");
        properties.put("numbers-router.routes.watch", "false");
        // Nothing is connected in a check: the connection factory is never used, the SMTP server never called.
        properties.put("spring.activemq.broker-url", "vm://route-check?create=false");
        properties.put("spring.mail.host", "localhost");
        // A check serves no webhook, so the webhook password the shell or the node's environment holds (or lacks) is
        // not its business: exported alone for curl it would refuse the check as a half-set pair, and left unset
        // with numbers-router.zero-config=false as one that is missing. A pair of its own, never used.
        properties.put("numbers-router.webhook.credentials.primary.username", "route-check");
        properties.put("numbers-router.webhook.credentials.primary.password", UUID.randomUUID().toString());
        if (quiet) {
            properties.put("logging.level.root", "ERROR");
            // the failure is reported below as one line; Spring's own report would add a stack trace
            properties.put("logging.level.org.springframework.boot.SpringApplication", "OFF");
        }
        for (String arg : args) {
            if (arg.startsWith("--routes=")) {
                properties.put("numbers-router.routes.directory", arg.substring("--routes=".length()));
            } else if (arg.startsWith("--subscribers=")) {
                properties.put("numbers-router.portout.subscribers-file", arg.substring("--subscribers=".length()));
            } else if (arg.startsWith("--rules=")) {
                properties.put("numbers-router.portout.rules-file", arg.substring("--rules=".length()));
            } else {
                out.println("Unknown option " + arg + ". Usage: check [--routes=DIR] [--subscribers=FILE] [--rules=FILE]");
                return 2;
            }
        }
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(NumbersRouterApplication.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    // as command-line arguments, so they win over application.yaml and the environment
                    .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                            .toArray(String[]::new));
        } catch (RuntimeException e) {
            // e.g. a subscriber file that does not load: report its message, not a stack trace
            out.println("INVALID: " + RouteSetValidator.rootMessage(e));
            return 1;
        }
        try {
            Path routes = context.getBean(RoutesProperties.class).directory();
            Map<Path, String> files = RouteFiles.read(routes);
            List<RouteProblem> problems = new RouteSetValidator(context.getBean(CamelContext.class)).validate(files);
            if (!problems.isEmpty()) {
                problems.forEach(problem -> out.println("INVALID: " + problem));
                return 1;
            }
            out.println("OK: " + files.size() + " route file(s) in " + routes + ", the subscriber directory and the port-out rules are valid");
            return 0;
        } catch (RuntimeException e) {
            out.println("INVALID: " + RouteSetValidator.rootMessage(e));
            return 1;
        } finally {
            context.close();
        }
    }
}
