package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

class ManagementLoginTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ManagementLogin.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void restoreLogging() {
        logger.detachAppender(appender);
    }

    @Test
    void theConfiguredLoginIsAnOperatorAndNothingElseIs() {
        ManagementLogin login = ManagementLogin.from(new ManagementLoginProperties("noc", "correct horse"), true);

        Authentication operator = login.authenticate(presented("noc", "correct horse"));

        assertThat(operator.isAuthenticated()).isTrue();
        assertThat(operator.getName()).isEqualTo("noc");
        assertThat(operator.getCredentials()).as("the password is not kept in the security context").isNull();
        assertThat(operator.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_OPERATOR");
        for (String[] wrong : new String[][] {{"noc", "correct hors"}, {"noc", "correct horse "}, {"NOC", "correct horse"},
                {"noc:correct", "horse"}, {"", "noc:correct horse"}, {"noc", ""}}) {
            assertThatThrownBy(() -> login.authenticate(presented(wrong[0], wrong[1])))
                    .as("%s / %s", wrong[0], wrong[1]).isInstanceOf(BadCredentialsException.class)
                    .hasMessage("Bad credentials");
        }
        assertThat(appender.list).isEmpty();
    }

    @Test
    void thePropertiesNeverPrintThePassword() {
        assertThat(new ManagementLoginProperties("noc", "correct horse").toString()).contains("noc")
                .doesNotContain("correct horse");
    }

    /** In production (numbers-router.zero-config=false) no password is made up and logged: the start stops. */
    @Test
    void inProductionNoPasswordStopsTheStartInsteadOfGeneratingOne() {
        assertThatThrownBy(() -> ManagementLogin.from(new ManagementLoginProperties("operator", "  "), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("numbers-router.zero-config=false")
                .hasMessageContaining("MANAGEMENT_PASSWORD");
        assertThat(appender.list).isEmpty();
        assertThat(ManagementLogin.from(new ManagementLoginProperties("operator", "from-the-secret"), false)
                .authenticate(presented("operator", "from-the-secret")).isAuthenticated()).isTrue();
    }

    @Test
    void withoutAPasswordOneIsGeneratedAndLoggedOnceSoThePortIsNeverOpen() {
        ManagementLogin login = ManagementLogin.from(new ManagementLoginProperties("operator", "  "), true);

        assertThat(appender.list).hasSize(1);
        String logged = appender.list.get(0).getFormattedMessage();
        Matcher password = Pattern.compile("username 'operator', password '([A-Za-z0-9_-]{43})'").matcher(logged);
        assertThat(password.find()).as(logged).isTrue();
        assertThat(logged).contains("MANAGEMENT_PASSWORD");
        assertThat(login.authenticate(presented("operator", password.group(1))).isAuthenticated()).isTrue();
        assertThatThrownBy(() -> login.authenticate(presented("operator", "  "))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> login.authenticate(presented("operator", ""))).isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void aBlankUsernameOrOneWithAColonStopsTheStart() {
        assertThatThrownBy(() -> new ManagementLoginProperties(" ", "secret"))
                .hasMessageContaining("MANAGEMENT_USERNAME").hasMessageContaining("blank");
        assertThatThrownBy(() -> new ManagementLoginProperties("noc:1", "secret"))
                .hasMessageContaining("MANAGEMENT_USERNAME").hasMessageContaining("':'");
    }

    private static UsernamePasswordAuthenticationToken presented(String username, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(username, password);
    }
}
