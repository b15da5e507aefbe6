/**
 * Test code that the modules share. Not published.
 */
@NullMarked
package dev.criticaltask.testsupport;

import org.jspecify.annotations.NullMarked;
