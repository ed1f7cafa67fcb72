/**
 * The navigation to the owner's, finance's and SRE's pages, by role.
 */
@NullMarked
package dev.switchboard.console.navigation;

import org.jspecify.annotations.NullMarked;
