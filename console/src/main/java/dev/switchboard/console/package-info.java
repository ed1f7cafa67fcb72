/**
 * The console: server-rendered pages (Thymeleaf, htmx) over the public API.
 */
@NullMarked
package dev.switchboard.console;

import org.jspecify.annotations.NullMarked;
