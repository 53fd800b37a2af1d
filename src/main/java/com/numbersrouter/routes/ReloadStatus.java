package com.numbersrouter.routes;

import java.time.Instant;
import java.util.List;

/**
 * What the last look at the route folder concluded.
 *
 * @param healthy  false while the files on disk are a set that was refused (the last good routes still serve)
 * @param at       when the conclusion was reached
 * @param files    route files in the serving set
 * @param problems why the files on disk were refused; empty when healthy
 */
public record ReloadStatus(boolean healthy, Instant at, int files, List<RouteProblem> problems) {

    static ReloadStatus serving(int files) {
        return new ReloadStatus(true, Instant.now(), files, List.of());
    }

    static ReloadStatus refused(int servingFiles, List<RouteProblem> problems) {
        return new ReloadStatus(false, Instant.now(), servingFiles, List.copyOf(problems));
    }
}
