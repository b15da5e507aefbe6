/**
 * Critical tasks in Spring Boot, what an application handles: the events published when a
 * task fails ({@link dev.criticaltask.spring.CriticalTaskFailedEvent}), is restarted or
 * stalls. The auto-configuration, its properties and failure analyzers are in
 * {@code dev.criticaltask.spring.autoconfigure}; the classes it wires, in the feature
 * packages beside this one.
 */
@NullMarked
package dev.criticaltask.spring;

import org.jspecify.annotations.NullMarked;
