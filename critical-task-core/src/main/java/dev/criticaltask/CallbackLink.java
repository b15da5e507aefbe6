/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.criticaltask;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A callback's record in its token's list, and the {@link Registration} that
 * {@link CancellationToken#onCancel(Runnable)} returns for it. Its state moves once, from
 * active to either fired (the canceller claimed it) or closed (its registration was
 * closed), so a closed callback never starts and a fired one is never unlinked.
 */
final class CallbackLink implements Registration {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CallbackLink.class, "state", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final int ACTIVE = 0;

    private static final int FIRED = 1;

    private static final int CLOSED = 2;

    /**
     * Dropped once closed, so that a closed registration someone keeps holds no token.
     */
    private @Nullable CancellationToken owner;

    /** Dropped once run or closed, by the thread that moved the state. */
    private @Nullable Runnable action;

    @Nullable CallbackLink prev;

    @Nullable CallbackLink next;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    CallbackLink(CancellationToken owner, Runnable action) {
        this.owner = owner;
        this.action = action;
    }

    /**
     * The action, when this thread is the one to run it; null when it was closed first.
     */
    @Nullable Runnable claim() {
        if (!STATE.compareAndSet(this, ACTIVE, FIRED)) {
            return null;
        }
        Runnable claimed = action;
        action = null;
        owner = null;
        return claimed;
    }

    @Override
    public void close() {
        if (STATE.compareAndSet(this, ACTIVE, CLOSED)) {
            CancellationToken linked = Objects.requireNonNull(owner);
            action = null;
            owner = null;
            linked.unlink(this);
        }
    }

}
