/**
 * What the Spring Boot applications that tests run in child JVMs share.
 */
@NullMarked
package dev.criticaltask.testsupport.boot;

import org.jspecify.annotations.NullMarked;
