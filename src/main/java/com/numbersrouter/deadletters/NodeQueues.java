package com.numbersrouter.deadletters;

import java.util.Set;

import jakarta.jms.Message;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;

/**
 * The queues this node is configured with. The broker's own dead-letter queue is shared by every application on the
 * broker: a message there is this node's only if the broker took it from one of these.
 */
public record NodeQueues(Set<String> names) {

    public NodeQueues {
        names = Set.copyOf(names);
    }

    /** A topic of the same name is not the node's: it only ever sends to queues. */
    boolean cameFromOne(Message message) {
        if (message instanceof ActiveMQMessage activeMq) {
            ActiveMQDestination original = activeMq.getOriginalDestination();
            return original != null && original.isQueue() && names.contains(original.getPhysicalName());
        }
        return false;
    }
}
