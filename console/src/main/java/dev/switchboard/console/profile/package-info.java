/**
 * The business profile and its verification level.
 */
@NullMarked
package dev.switchboard.console.profile;

import org.jspecify.annotations.NullMarked;
