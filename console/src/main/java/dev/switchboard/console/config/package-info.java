/**
 * Cross-cutting configuration: sign-in, session, security headers, languages.
 */
@NullMarked
package dev.switchboard.console.config;

import org.jspecify.annotations.NullMarked;
