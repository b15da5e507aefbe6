package dev.criticaltask.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidCriticalMethodException}: the description names the bean, the method
 * and why it cannot be a critical job; the action says what to change.
 */
final class InvalidCriticalMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCriticalMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCriticalMethodException cause) {
        String description = "The method " + cause.getMethod() + " of bean '" + cause.getBeanName()
                + "' cannot be a critical job: " + cause.getReason() + ".";
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

}
