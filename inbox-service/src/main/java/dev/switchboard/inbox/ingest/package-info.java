@NullMarked
package dev.switchboard.inbox.ingest;

import org.jspecify.annotations.NullMarked;
