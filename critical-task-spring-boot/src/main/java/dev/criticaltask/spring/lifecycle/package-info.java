/**
 * The lifecycle of critical tasks in a Spring application context: starting and stopping
 * them with the context, keeping a service without a web server alive while they run, the
 * ordered shutdown after a failure and the process exit that ends it, and the logging the
 * core writes through.
 */
@NullMarked
package dev.criticaltask.spring.lifecycle;

import org.jspecify.annotations.NullMarked;
