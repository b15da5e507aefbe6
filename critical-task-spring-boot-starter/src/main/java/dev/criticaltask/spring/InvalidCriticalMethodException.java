package dev.criticaltask.spring;

/**
 * A method cannot be made a critical job: it is not {@code @Scheduled} nor {@code @Async}, cannot be
 * intercepted, returns what its failure would hide in, or its task name is taken. Thrown at
 * start-up and explained by {@link InvalidCriticalMethodFailureAnalyzer}.
 */
final class InvalidCriticalMethodException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String beanName;

    private final String method;

    private final String reason;

    private final String action;

    /**
     * @param beanName the bean that declares the method
     * @param method the method, as {@code SimpleClassName.method(ParameterTypes)}
     * @param reason why it cannot be a critical job, as a sentence without a final period
     * @param action what to change, as a sentence
     */
    InvalidCriticalMethodException(String beanName, String method, String reason, String action) {
        super("Method " + method + " of bean '" + beanName + "' cannot be a critical job: " + reason);
        this.beanName = beanName;
        this.method = method;
        this.reason = reason;
        this.action = action;
    }

    String getBeanName() {
        return this.beanName;
    }

    String getMethod() {
        return this.method;
    }

    String getReason() {
        return this.reason;
    }

    String getAction() {
        return this.action;
    }

}
