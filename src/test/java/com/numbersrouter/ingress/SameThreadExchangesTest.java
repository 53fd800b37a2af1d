package com.numbersrouter.ingress;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.async.StandardServletAsyncWebRequest;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.context.support.StaticWebApplicationContext;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unit test with Spring's servlet mocks, on the handler method camel-platform-http registers. */
class SameThreadExchangesTest {

    private final SameThreadExchanges handler = new SameThreadExchanges();
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/bandwidth");
    private final MockHttpServletResponse response = new MockHttpServletResponse();
    private final StandardServletAsyncWebRequest webRequest = new StandardServletAsyncWebRequest(request, response);
    private final ModelAndViewContainer mav = new ModelAndViewContainer();

    SameThreadExchangesTest() {
        request.setAsyncSupported(true);
        WebAsyncUtils.getAsyncManager(request).setAsyncWebRequest(webRequest);
    }

    @Test
    void itTakesOnlyThePlatformHttpConsumersHandlerMethod() throws Exception {
        assertThat(handler.supportsReturnType(consumerService())).isTrue();
        Method other = CompletableFuture.class.getMethod("completedFuture", Object.class);
        assertThat(handler.supportsReturnType(new MethodParameter(other, -1))).isFalse();
    }

    @Test
    void anExchangeThatHasRunIsAnsweredInTheSameDispatch() throws Exception {
        handler.handleReturnValue(CompletableFuture.completedFuture(null), consumerService(), mav, webRequest);

        assertThat(mav.isRequestHandled()).isTrue();
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void aFailedExchangeRethrowsItsExceptionForSpringMvcToAnswer() {
        CompletableFuture<Void> failed = CompletableFuture.runAsync(() -> {
            throw new IllegalStateException("boom");
        }, SameThreadExchanges.INLINE);

        assertThatThrownBy(() -> handler.handleReturnValue(failed, consumerService(), mav, webRequest))
                .isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void anExchangeStillRunningElsewhereIsAnsweredAsynchronouslyAsBefore() throws Exception {
        CompletableFuture<Void> running = new CompletableFuture<>();

        handler.handleReturnValue(running, consumerService(), mav, webRequest);

        assertThat(request.isAsyncStarted()).isTrue();
        assertThat(mav.isRequestHandled()).isFalse();
    }

    @Test
    void theInstallerPutsItFirstSoSpringMvcsFutureHandlerNeverSeesTheConsumer() {
        StaticWebApplicationContext context = new StaticWebApplicationContext();
        context.refresh();
        RequestMappingHandlerAdapter adapter = new RequestMappingHandlerAdapter();
        adapter.setApplicationContext(context);
        adapter.afterPropertiesSet();

        SameThreadExchanges.install().postProcessAfterInitialization(adapter, "requestMappingHandlerAdapter");

        assertThat(adapter.getReturnValueHandlers()).first().isInstanceOf(SameThreadExchanges.class);
    }

    private static MethodParameter consumerService() throws NoSuchMethodException {
        return new MethodParameter(SpringBootPlatformHttpConsumer.class.getMethod("service", HttpServletRequest.class,
                HttpServletResponse.class), -1);
    }
}
