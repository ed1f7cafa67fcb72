/**
 * How the services talk to PostgreSQL beyond what the R2DBC driver does by itself.
 */
@NullMarked
package dev.switchboard.support.database;

import org.jspecify.annotations.NullMarked;
