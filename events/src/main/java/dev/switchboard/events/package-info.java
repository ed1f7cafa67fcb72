/**
 * Event contracts shared by the Switchboard services: one immutable record per event, the
 * topics they travel on, the CloudEvents types that name them and the JSON codec that
 * writes them.
 */
@NullMarked
package dev.switchboard.events;

import org.jspecify.annotations.NullMarked;
