package dev.criticaltask.spring.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * What Boot's failure analysis shows for an {@link InvalidCriticalTaskPropertyException}, for tests
 * outside this package; the analyzer itself is package-private, as Boot's are.
 */
public final class FailureAnalyses {

    private FailureAnalyses() {
    }

    /**
     * The analysis of a failure caused by an invalid property.
     * @param failure the start-up failure
     * @return its analysis, or {@code null} when no invalid property caused it
     */
    public static FailureAnalysis ofInvalidProperty(Throwable failure) {
        return new InvalidCriticalTaskPropertyFailureAnalyzer().analyze(failure);
    }

}
