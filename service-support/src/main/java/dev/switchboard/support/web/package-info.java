@NullMarked
package dev.switchboard.support.web;

import org.jspecify.annotations.NullMarked;
