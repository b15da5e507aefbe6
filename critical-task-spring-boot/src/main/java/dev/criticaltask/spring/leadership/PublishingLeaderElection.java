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

package dev.criticaltask.spring.leadership;

import java.util.Objects;

import dev.criticaltask.Candidacy;
import dev.criticaltask.LeaderElection;
import dev.criticaltask.LeadershipListener;
import dev.criticaltask.LeadershipRevokedException;
import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.spring.CriticalTaskLeadershipGrantedEvent;
import dev.criticaltask.spring.CriticalTaskLeadershipRevokedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * An election that publishes a {@link CriticalTaskLeadershipGrantedEvent} before each
 * grant reaches the registry and a {@link CriticalTaskLeadershipRevokedEvent} after each
 * revocation did, and logs both at INFO. Thread-safe as its delegate is.
 */
public final class PublishingLeaderElection implements LeaderElection {

    private static final Log logger = LogFactory.getLog(PublishingLeaderElection.class);

    private final LeaderElection delegate;

    private final ApplicationEventPublisher publisher;

    /**
     * Wraps an election.
     * @param delegate the election
     * @param publisher where the events go
     */
    public PublishingLeaderElection(LeaderElection delegate, ApplicationEventPublisher publisher) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.publisher = Objects.requireNonNull(publisher, "publisher must not be null");
    }

    /**
     * {@return the election this one publishes the events of}
     */
    public LeaderElection delegate() {
        return this.delegate;
    }

    @Override
    public Candidacy campaign(String role, LeadershipListener listener) {
        return this.delegate.campaign(role, new LeadershipListener() {

            @Override
            public void granted(LeadershipTerm term) {
                logger.info("Leadership of role '" + role + "' granted (term " + term.term() + ")");
                publish(new CriticalTaskLeadershipGrantedEvent(PublishingLeaderElection.this, term));
                listener.granted(term);
            }

            @Override
            public void revoked(LeadershipRevokedException reason) {
                listener.revoked(reason);
                logger
                    .info("Leadership of role '" + role + "' revoked (term " + reason.term() + "): " + reason.reason());
                publish(new CriticalTaskLeadershipRevokedEvent(PublishingLeaderElection.this, reason));
            }

        });
    }

    private void publish(Object event) {
        try {
            this.publisher.publishEvent(event);
        }
        catch (RuntimeException ex) {
            // a listener's fault must not stop the grant or the revocation
            logger.warn("A listener of " + event.getClass().getSimpleName() + " threw", ex);
        }
    }

    @Override
    public String toString() {
        return this.delegate.toString();
    }

}
