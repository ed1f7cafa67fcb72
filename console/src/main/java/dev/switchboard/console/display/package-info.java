/**
 * How pages write times and amounts.
 */
@NullMarked
package dev.switchboard.console.display;

import org.jspecify.annotations.NullMarked;
