package dev.switchboard.inbox.outbound;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A message an agent sends into a conversation: exactly one of {@code text},
 * {@code media} or {@code template}, as {@code type} says.
 *
 * @param type {@code text}, {@code media} or {@code template}
 * @param text the text; {@code /shortcut} at its start expands to the saved quick reply
 * @param media media already uploaded to Meta, by id
 * @param template an approved template
 */
public record OutboundRequest(@NotNull @Pattern(regexp = "text|media|template") String type,
		@Nullable @Size(max = 4096) String text, @Nullable @Valid Media media, @Nullable @Valid Template template) {

	/**
	 * Media by Meta's id.
	 *
	 * @param kind {@code image}, {@code audio}, {@code video}, {@code document} or
	 * {@code sticker}
	 * @param id Meta's media id
	 * @param caption a caption (image, video, document)
	 */
	public record Media(@NotNull @Pattern(regexp = "image|audio|video|document|sticker") String kind,
			@NotBlank @Size(max = 200) String id, @Nullable @Size(max = 1024) String caption) {

	}

	/**
	 * A template message.
	 *
	 * @param name the approved template's name
	 * @param language its language code ({@code en_US})
	 * @param components Meta's components (header, body, button parameters), passed on as
	 * given
	 */
	public record Template(@NotBlank @Size(max = 512) String name, @NotBlank @Size(max = 15) String language,
			@Nullable List<Map<String, Object>> components) {

	}

}
