package dev.criticaltask.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidCriticalTaskPropertyException}: the description names the property,
 * its value and why it cannot work; the action says what to set instead.
 */
final class InvalidCriticalTaskPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidCriticalTaskPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCriticalTaskPropertyException cause) {
        String description = (cause.getValue() != null
                ? "The property '" + cause.getProperty() + "' has the invalid value '" + cause.getValue() + "'"
                : "The property '" + cause.getProperty() + "' cannot be used") + ": " + cause.getReason() + ".";
        String action = "Update the property '" + cause.getProperty() + "' in your configuration to "
                + cause.getExpected() + ", or remove it to use the default.";
        return new FailureAnalysis(description, action, cause);
    }

}
