/**
 * What the starter does inside tests, loaded only where the test libraries are: a JUnit
 * Platform launcher session marks the JVM as a test JVM, which is never exited, whichever
 * thread starts a context; the TestContext framework's contexts are marked as its own,
 * which the starter never closes after a task failure; and the test that runs when a task
 * fails fails with that failure, and its context is dropped.
 */
@NullMarked
package dev.criticaltask.spring.test;

import org.jspecify.annotations.NullMarked;
