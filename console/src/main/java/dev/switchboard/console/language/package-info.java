/**
 * The console's languages (English, Italian, Spanish, Hungarian): from the browser, or as
 * chosen with the language switch.
 */
@NullMarked
package dev.switchboard.console.language;

import org.jspecify.annotations.NullMarked;
