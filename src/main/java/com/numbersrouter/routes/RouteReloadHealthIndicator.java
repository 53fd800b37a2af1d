package com.numbersrouter.routes;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code routeReload} on the health endpoint: UP while the routes on disk are the routes serving, OUT_OF_SERVICE
 * with the problems while a change is refused. Not part of the readiness group: the node keeps serving webhooks
 * on its last good routes, so it must not be taken out of a load balancer for a typo.
 */
public class RouteReloadHealthIndicator implements HealthIndicator {

    private final GuardedRouteReloader reloader;

    public RouteReloadHealthIndicator(GuardedRouteReloader reloader) {
        this.reloader = reloader;
    }

    @Override
    public Health health() {
        ReloadStatus status = reloader.status();
        Health.Builder health = status.healthy() ? Health.up() : Health.outOfService();
        health.withDetail("directory", reloader.directory().toString())
                .withDetail("servingFiles", status.files())
                .withDetail("checkedAt", status.at().toString());
        if (!status.healthy()) {
            health.withDetail("problems", status.problems().stream().map(RouteProblem::toString).toList());
        }
        return health.build();
    }
}
