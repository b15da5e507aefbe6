package dev.criticaltask.spring.autoconfigure.scheduling;

import dev.criticaltask.spring.scheduling.InvalidCriticalJobException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidCriticalJobException}: the description names the bean, the method
 * and why it cannot be a critical job; the action says what to change.
 */
final class InvalidCriticalJobFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCriticalJobException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCriticalJobException cause) {
        String description = "The method " + cause.getMethod() + " of bean '" + cause.getBeanName()
                + "' cannot be a critical job: " + cause.getReason() + ".";
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

}
