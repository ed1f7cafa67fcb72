/**
 * What every page shares: the signed-in user, the CSRF token, the language switch, the
 * home page, and how the API's refusals are shown.
 */
@NullMarked
package dev.switchboard.console.home;

import org.jspecify.annotations.NullMarked;
