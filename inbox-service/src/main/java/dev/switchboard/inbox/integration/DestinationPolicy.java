package dev.switchboard.inbox.integration;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;

/**
 * Where CRM webhooks may go: {@code https://} to a host whose every address is public
 * (never loopback, private, link-local, multicast, unspecified, shared, reserved or a
 * cloud metadata address, nor an IPv6 form of one), on any port. Plain {@code http://} is
 * allowed only when {@code allow-plain-http-to-loopback} is on (local runs), and then
 * only to loopback addresses.
 * <p>
 * A subscription's URL is checked when it is created ({@link #check}) and again at every
 * delivery ({@link #beforeDelivery} for the URL and an IP literal, {@link #pin} for a
 * name, from the HTTP client's resolver), so a name that is re-pointed inside after the
 * subscription was accepted is refused too, and the connection goes to the very address
 * that was checked.
 */
final class DestinationPolicy {

	static final int MAX_URL_LENGTH = 2000;

	private static final Logger logger = LoggerFactory.getLogger(DestinationPolicy.class);

	private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog",
			"metadata.azure.com", "instance-data", "instance-data.ec2.internal");

	/**
	 * Names that are never public by definition (RFC 6761, RFC 6762, RFC 8375, ICANN).
	 */
	private static final List<String> LOCAL_SUFFIXES = List.of(".localhost", ".local", ".localdomain", ".internal",
			".intranet", ".home.arpa", ".lan", ".corp");

	private static final String PUBLIC_ONLY = "webhooks are delivered only to public addresses, never to loopback, "
			+ "private, link-local, multicast, unspecified, shared (100.64.0.0/10), reserved or cloud metadata "
			+ "addresses, nor to IPv6 forms of them";

	private final HostResolver resolver;

	private final boolean allowPlainHttpToLoopback;

	DestinationPolicy(HostResolver resolver, boolean allowPlainHttpToLoopback) {
		this.resolver = resolver;
		this.allowPlainHttpToLoopback = allowPlainHttpToLoopback;
	}

	boolean allowsPlainHttpToLoopback() {
		return this.allowPlainHttpToLoopback;
	}

	/**
	 * Checks a subscription's URL, resolving its host name. Blocks while resolving.
	 * @param url what the client sent
	 * @return the URL
	 * @throws SubscriptionRejected naming the rule it breaks
	 */
	URI check(String url) {
		URI uri = parse(url);
		boolean plainHttp = isPlainHttp(uri);
		if (plainHttp && !this.allowPlainHttpToLoopback) {
			throw new SubscriptionRejected("url-scheme", "url must be an https:// URL");
		}
		String host = host(uri);
		InetAddress literal = literal(host);
		if (literal != null) {
			Refusal refusal = refusal(literal, plainHttp);
			if (refusal == null) {
				return uri;
			}
			if (plainHttp) {
				throw plainHttpOnlyToLoopback();
			}
			throw new SubscriptionRejected("url-address-not-public",
					"url's address " + host + " is " + refusal.why() + ": " + PUBLIC_ONLY);
		}
		if (numericForm(host)) {
			throw new SubscriptionRejected("url-invalid",
					"url's host is neither a DNS name nor an IPv4 address in dotted decimal or an IPv6 address");
		}
		try {
			pin(host, plainHttp);
			return uri;
		}
		catch (DestinationRefused ex) {
			// What the name resolved to stays in the log: the answer would tell a caller
			// which internal names exist.
			logger.info("Webhook URL refused ({}): {}", ex.reason(), ex.getMessage());
			if (plainHttp) {
				throw plainHttpOnlyToLoopback();
			}
			throw new SubscriptionRejected("url-host-not-public",
					"url's host must be a public DNS name that resolves, and only to public addresses: " + PUBLIC_ONLY);
		}
	}

	/**
	 * Checks a stored URL just before a delivery, without resolving: the scheme, and the
	 * address when the host is an IP literal (the HTTP client does not resolve those, so
	 * {@link #pin} does not see them).
	 * @param url the subscription's URL
	 * @return the URL to post to
	 * @throws DestinationRefused if the URL may not be called now
	 */
	URI beforeDelivery(String url) throws DestinationRefused {
		URI uri;
		try {
			uri = parse(url);
		}
		catch (SubscriptionRejected ex) {
			throw new DestinationRefused(ex.reason(), "the URL is not allowed: " + ex.getBody().getDetail());
		}
		boolean plainHttp = isPlainHttp(uri);
		if (plainHttp && !this.allowPlainHttpToLoopback) {
			throw new DestinationRefused("plain-http", "plain http:// is not allowed");
		}
		String host = host(uri);
		InetAddress literal = literal(host);
		if (literal != null) {
			Refusal refusal = refusal(literal, plainHttp);
			if (refusal != null) {
				throw new DestinationRefused(refusal.reason(), host + " is " + refusal.why());
			}
		}
		return uri;
	}

	/**
	 * Resolves a name and checks every address it resolves to. Blocks while resolving.
	 * @param host the URL's host name
	 * @param plainHttp whether the URL is {@code http://}: then every address must be
	 * loopback
	 * @return the address to connect to, one of those checked
	 * @throws DestinationRefused if the name, or any of its addresses, is not allowed
	 */
	InetAddress pin(String host, boolean plainHttp) throws DestinationRefused {
		String name = host.toLowerCase(Locale.ROOT);
		if (!plainHttp) {
			String why = nonPublicName(name);
			if (why != null) {
				throw new DestinationRefused(METADATA_NAMES.contains(stripDot(name)) ? "metadata" : "name",
						host + " is " + why);
			}
		}
		List<InetAddress> addresses;
		try {
			addresses = this.resolver.resolve(name);
		}
		catch (UnknownHostException ex) {
			throw new DestinationRefused("unresolvable", host + " does not resolve");
		}
		if (addresses.isEmpty()) {
			throw new DestinationRefused("unresolvable", host + " does not resolve");
		}
		for (InetAddress address : addresses) {
			Refusal refusal = refusal(address, plainHttp);
			if (refusal != null) {
				throw new DestinationRefused(refusal.reason(),
						host + " resolves to " + address.getHostAddress() + ", " + refusal.why());
			}
		}
		InetAddress chosen = addresses.getFirst();
		try {
			// Keeps the name with the address, for TLS and the logs.
			return InetAddress.getByAddress(host, chosen.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("An address of 4 or 16 bytes is always valid", ex);
		}
	}

	/**
	 * Why an address may not be called, or null when it may.
	 * @param address an address
	 * @param plainHttp whether over plain {@code http://}: then only loopback may be
	 * @return the refusal, or null
	 */
	static @Nullable Refusal refusal(InetAddress address, boolean plainHttp) {
		AddressKind kind = AddressKind.of(address);
		if (plainHttp) {
			return (kind == AddressKind.LOOPBACK) ? null : new Refusal("plain-http", "not a loopback address");
		}
		return (kind != null) ? new Refusal(kind.reason(), "a " + kind.description() + " address") : null;
	}

	/**
	 * Why a host name cannot be a public one, or null.
	 * @param name a lower-case host name
	 * @return why not, or null
	 */
	static @Nullable String nonPublicName(String name) {
		String bare = stripDot(name);
		if (METADATA_NAMES.contains(bare)) {
			return "a cloud metadata service";
		}
		if (bare.equals("localhost") || LOCAL_SUFFIXES.stream().anyMatch(bare::endsWith)) {
			return "a local name";
		}
		if (numericForm(bare)) {
			return "an IP address in a non-standard form";
		}
		if (bare.indexOf('.') < 0) {
			// Resolved through the search domains, a single label names something inside.
			return "not a fully qualified name";
		}
		return null;
	}

	/**
	 * Whether a host that is not an IP literal still looks like a number
	 * ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}): resolvers read such forms
	 * differently (decimal, octal, hex), and no DNS name ends in a numeric label.
	 */
	private static boolean numericForm(String host) {
		String bare = stripDot(host.toLowerCase(Locale.ROOT));
		String last = bare.substring(bare.lastIndexOf('.') + 1);
		return last.isEmpty() || last.chars().allMatch(Character::isDigit)
				|| (last.startsWith("0x") && last.substring(2).chars().allMatch((c) -> Character.digit(c, 16) >= 0));
	}

	private static String stripDot(String name) {
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

	/**
	 * Checks a URL's form: length, syntax, scheme {@code http} or {@code https}, a host,
	 * a port in range, no credentials, no fragment.
	 * @param url the URL
	 * @return the parsed URL
	 * @throws SubscriptionRejected naming what is wrong
	 */
	static URI parse(@Nullable String url) {
		if (url == null || url.isBlank()) {
			throw new SubscriptionRejected("url-missing", "url is required: the https:// address to deliver to");
		}
		if (url.length() > MAX_URL_LENGTH) {
			throw new SubscriptionRejected("url-too-long", "url must be at most " + MAX_URL_LENGTH + " characters");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new SubscriptionRejected("url-invalid", "url is not a valid URL: " + ex.getReason());
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new SubscriptionRejected("url-scheme", "url must be an https:// URL");
		}
		if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
			throw new SubscriptionRejected("url-credentials",
					"url must not contain credentials; deliveries are signed with the subscription's secret instead");
		}
		if (uri.getHost() == null || uri.getHost().isBlank()) {
			throw new SubscriptionRejected("url-invalid", "url must name a host (a DNS name or an IP address)");
		}
		if (uri.getPort() == 0 || uri.getPort() > 65535) {
			throw new SubscriptionRejected("url-invalid", "url's port must be between 1 and 65535");
		}
		if (uri.getRawFragment() != null) {
			throw new SubscriptionRejected("url-invalid", "url must not have a #fragment");
		}
		return uri;
	}

	static boolean isPlainHttp(URI uri) {
		return "http".equalsIgnoreCase(uri.getScheme());
	}

	/** The host as the HTTP client sees it: an IPv6 literal without its brackets. */
	static String host(URI uri) {
		String host = Objects.requireNonNull(uri.getHost());
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	/**
	 * The address an IP literal stands for, exactly as the HTTP client (Netty) reads it,
	 * so the check and the connection agree on what is a literal.
	 * @param host a URL's host without brackets
	 * @return the address, or null when the host is a name
	 */
	static @Nullable InetAddress literal(String host) {
		return NetUtil.createInetAddressFromIpAddressString(host);
	}

	private SubscriptionRejected plainHttpOnlyToLoopback() {
		return new SubscriptionRejected(HttpStatus.BAD_REQUEST, "url-scheme",
				"url must be an https:// URL (plain http:// is allowed only to loopback addresses, in local runs)");
	}

	/**
	 * Why a destination is refused.
	 *
	 * @param reason the metric tag
	 * @param why a phrase for the log or the problem detail
	 */
	record Refusal(String reason, String why) {

	}

	/**
	 * A destination refused at delivery. An {@link UnknownHostException}, so that the
	 * HTTP client treats a refused name as one that did not resolve: it never connects.
	 */
	static final class DestinationRefused extends UnknownHostException {

		private final String reason;

		DestinationRefused(String reason, String message) {
			super(message);
			this.reason = reason;
		}

		/**
		 * The metric tag.
		 * @return {@code loopback}, {@code private}, ..., {@code unresolvable}
		 */
		String reason() {
			return this.reason;
		}

	}

}
