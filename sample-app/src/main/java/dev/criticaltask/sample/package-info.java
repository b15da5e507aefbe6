/**
 * A small web service whose background work runs as critical tasks: if one fails, the
 * service shuts down and exits non-zero instead of limping on.
 */
@NullMarked
package dev.criticaltask.sample;

import org.jspecify.annotations.NullMarked;
