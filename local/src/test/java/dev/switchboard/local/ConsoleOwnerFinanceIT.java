package dev.switchboard.local;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;

import dev.switchboard.events.ConversationIds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's owner and finance pages in a real Chromium (Debian's chromium and
 * chromedriver through Selenium, nothing downloaded), against the platform started as
 * {@code ./start-local} starts it: an owner renames a device and reads who sent a message
 * from it; an agent is shown no message info and is refused it at its address; finance
 * downloads an invoice's CSV. The screenshots in docs/screenshots are taken here.
 */
class ConsoleOwnerFinanceIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Path SCREENSHOTS = Path.of("").toAbsolutePath().getParent().resolve("docs/screenshots");

	private static Gateway gateway;

	private static String ownerToken;

	private Chromium chromium;

	private WebDriver browser;

	private Path downloads;

	@BeforeAll
	static void start() throws Exception {
		Chromium.assumeInstalled();
		gateway = Gateway.start(Path.of("target/console-owner-finance-logs").toAbsolutePath(), Map.of());
		ownerToken = gateway.token("olivia");
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@BeforeEach
	void makeRoomForDevices() throws Exception {
		gateway.revokeDevices(ownerToken);
	}

	@AfterEach
	void quit() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@Test
	void whenAnOwnerRenamesADeviceAndOpensAMessagesInfoThenItNamesTheDeviceAndTheDeliveryAndReadTimes()
			throws Exception {
		String deviceId = gateway
			.ok(ownerToken, "POST", "/api/v1/devices",
					"{\"name\":\"Phone %s\",\"kind\":\"PHONE\",\"agentId\":\"mario\"}"
						.formatted(UUID.randomUUID().toString().substring(0, 8)))
			.path("id")
			.asString();
		signIn("olivia");

		this.browser.get(gateway.url() + "/console/devices");
		WebElement limits = waitFor(By.id("limits"));
		assertThat(limits.getText()).contains("STANDARD").contains("4").contains("1");
		WebElement row = row(deviceId);
		WebElement name = row.findElement(By.cssSelector("form.rename input[name=name]"));
		name.clear();
		name.sendKeys("iPhone Mario");
		row.findElement(By.cssSelector("form.rename button")).click();
		// The form reloads the page: the row found before may be replaced while it is
		// read.
		this.chromium.until(WAIT,
				(driver) -> driver.findElement(By.cssSelector("tr[data-device-id='" + deviceId + "'] .device-name"))
					.getText()
					.equals("iPhone Mario"));
		assertThat(gateway.ok(ownerToken, "GET", "/api/v1/devices/" + deviceId, null).path("name").asString())
			.isEqualTo("iPhone Mario");
		screenshot("devices.png");

		String messageId = customerWritesAndMarioReplies(deviceId);
		this.browser.get(gateway.url() + "/console/conversations/" + conversationOf(messageId));
		// The thread is re-rendered on live events: click whatever link is there now.
		this.chromium.click(By.cssSelector("li[data-message-id='" + messageId + "'] a.info"), WAIT);
		WebElement panel = waitFor(By.id("message-info"));
		assertThat(panel.findElement(By.className("device")).getText()).isEqualTo("iPhone Mario");
		assertThat(panel.findElement(By.className("agent")).getText()).isEqualTo("mario");
		assertThat(panel.findElement(By.className("delivered")).getText()).endsWith("UTC");
		assertThat(panel.findElement(By.className("read")).getText()).endsWith("UTC");
		screenshot("message-info.png");
	}

	@Test
	void whenAnAgentSignsInThenNoMessageInfoIsOfferedAndItsAddressShowsTheRefusal() throws Exception {
		String deviceId = gateway
			.ok(ownerToken, "POST", "/api/v1/devices",
					"{\"name\":\"Desk %s\",\"kind\":\"WEB\",\"agentId\":\"mario\"}"
						.formatted(UUID.randomUUID().toString().substring(0, 8)))
			.path("id")
			.asString();
		String messageId = customerWritesAndMarioReplies(deviceId);
		signIn("mario");

		assertThat(this.browser.findElements(By.linkText("Message info"))).isEmpty();
		this.browser.get(gateway.url() + "/console/conversations/" + conversationOf(messageId));
		waitFor(By.cssSelector("li[data-message-id='" + messageId + "']"));
		assertThat(this.browser.findElements(By.cssSelector("a.info"))).isEmpty();
		assertThat(this.browser.findElements(By.linkText("Devices"))).isEmpty();
		assertThat(this.browser.findElements(By.linkText("Invoices"))).isEmpty();
		this.browser.get(gateway.url() + "/console/messages/" + messageId + "/info");
		WebElement problem = waitFor(By.cssSelector(".problem"));
		assertThat(problem.getText()).isNotBlank();
		assertThat(this.browser.findElements(By.id("message-info"))).isEmpty();
		assertThat(this.browser.getPageSource()).doesNotContain("iPhone").doesNotContain(deviceId);
	}

	@Test
	void whenFinanceDownloadsAnIssuedInvoiceThenTheFileIsBillingsCsvUnderItsNumber() throws Exception {
		String finance = gateway.token("fiona");
		String lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
		String invoiceId = gateway
			.ok(finance, "POST", "/api/v1/billing/invoices", "{\"month\":\"%s\"}".formatted(lastMonth))
			.path("id")
			.asString();
		JsonNode issued = gateway.ok(finance, "POST", "/api/v1/billing/invoices/" + invoiceId + "/issue", null);
		String number = issued.path("number").asString();
		HttpResponse<String> expected = gateway.get(finance, "/api/v1/billing/invoices/" + invoiceId + ".csv");
		assertThat(expected.statusCode()).isEqualTo(200);
		signIn("fiona");

		assertThat(this.browser.findElements(By.linkText("Devices"))).isEmpty();
		this.browser.findElement(By.linkText("Invoices")).click();
		WebElement row = waitFor(By.cssSelector("tr[data-invoice-id='" + invoiceId + "']"));
		assertThat(row.getText()).contains(number).contains(lastMonth);
		screenshot("invoices.png");
		row.findElement(By.cssSelector("a.csv")).click();

		Path file = this.downloads.resolve(number + ".csv");
		await().atMost(WAIT)
			.until(() -> Files.exists(file) && !Files.exists(file.resolveSibling(number + ".csv.crdownload")));
		String csv = Files.readString(file, StandardCharsets.UTF_8);
		assertThat(csv).isEqualTo(expected.body());
		assertThat(csv.lines().findFirst())
			.hasValue("number,kind,status,month,line,line_kind,description,quantity,unit_price,amount,currency");
		assertThat(csv).contains(number + ",INVOICE,ISSUED," + lastMonth).contains(",TOTAL,Total,");
	}

	@Test
	void whenTheOwnerAndTheSreOpenTheirOtherPagesThenEachShowsWhatTheApiSays() throws Exception {
		signIn("olivia");
		this.browser.get(gateway.url() + "/console/team");
		assertThat(waitFor(By.id("service-levels")).isDisplayed()).isTrue();
		assertThat(this.browser.findElement(By.id("rules")).isDisplayed()).isTrue();

		this.browser.get(gateway.url() + "/console/audit");
		String state = waitFor(By.id("audit-state")).getText();
		boolean valid = gateway.ok(ownerToken, "GET", "/api/v1/audit/verify", null).path("valid").asBoolean();
		assertThat(state)
			.isEqualTo(valid ? "The log verifies: every entry is covered by signed tree heads and the witness agrees."
					: "The log does NOT verify.");

		this.browser.get(gateway.url() + "/console/profile");
		assertThat(waitFor(By.id("verification")).getText()).startsWith("Meta verification:");
		String about = "Pizza since 1970 " + UUID.randomUUID().toString().substring(0, 6);
		WebElement field = this.browser.findElement(By.id("profile-about"));
		field.clear();
		field.sendKeys(about);
		field.submit();
		this.chromium.until(WAIT,
				(driver) -> about.equals(driver.findElement(By.id("profile-about")).getAttribute("value")));
		assertThat(gateway.ok(ownerToken, "GET", "/api/v1/business-profile", null).path("about").asString())
			.isEqualTo(about);

		this.browser.get(gateway.url() + "/console/finance/usage");
		assertThat(waitFor(By.cssSelector("table.lines")).isDisplayed()).isTrue();
		this.browser.get(gateway.url() + "/console/finance/late-replies");
		assertThat(waitFor(By.id("late-replies")).isDisplayed()).isTrue();
		assertThat(this.browser.findElements(By.cssSelector(".problem"))).isEmpty();
		assertThat(this.browser.findElements(By.linkText("Health"))).isEmpty();

		signIn("sam");
		assertThat(this.browser.findElements(By.linkText("Devices"))).isEmpty();
		this.browser.findElement(By.linkText("Health")).click();
		assertThat(waitFor(By.id("gateway-status")).getText()).isEqualTo("Gateway: UP");
		assertThat(this.browser.findElement(By.id("requests")).getText()).contains("SUCCESS");
		assertThat(this.browser.findElements(By.cssSelector("#dashboards a")))
			.extracting((link) -> link.getAttribute("href"))
			.contains("http://127.0.0.1:3000/d/switchboard-overview");
	}

	/**
	 * A customer writes in through the sandbox and mario answers from the device, as the
	 * other local tests do; waits until the customer has read the answer.
	 * @return the answer's message id
	 */
	private static String customerWritesAndMarioReplies(String deviceId) throws Exception {
		String waId = "3933377" + (100_000 + (int) (Math.random() * 800_000));
		String conversation = ConversationIds.of(Gateway.TENANT.id(), waId);
		assertThat(gateway.sandbox().customerWrites(waId, "Giulia Rossi", "Where is my pizza?").webhookStatus())
			.isEqualTo(200);
		String agent = gateway.token("mario");
		await().atMost(WAIT).until(() -> {
			HttpResponse<String> window = gateway.get(ownerToken, "/api/v1/conversations/" + conversation + "/window");
			return window.statusCode() == 200 && "OPEN".equals(Gateway.json(window).path("state").asString());
		});
		String messageId = await().atMost(WAIT).until(() -> {
			HttpResponse<String> sent = gateway.call(agent, "POST",
					"/api/v1/conversations/" + conversation + "/messages",
					"{\"type\":\"text\",\"text\":\"On its way, 10 minutes!\"}", "X-Device-Id", deviceId);
			return (sent.statusCode() == 202) ? Gateway.json(sent).path("id").asString() : null;
		}, java.util.Objects::nonNull);
		await().atMost(WAIT).until(() -> {
			HttpResponse<String> info = gateway.get(ownerToken, "/api/v1/messages/" + messageId + "/info");
			return info.statusCode() == 200 && !Gateway.json(info).path("readAt").isNull()
					&& !Gateway.json(info).path("readAt").isMissingNode();
		});
		return messageId;
	}

	/** The conversation a message belongs to, as the API says. */
	private static String conversationOf(String messageId) throws Exception {
		return gateway.ok(ownerToken, "GET", "/api/v1/messages/" + messageId, null).path("conversationId").asString();
	}

	/**
	 * Opens a fresh Chromium that saves downloads to a directory of its own, and signs
	 * the user in at the provider's form.
	 */
	private void signIn(String user) throws IOException {
		if (this.chromium != null) {
			this.chromium.close();
		}
		this.downloads = Files.createTempDirectory("console-downloads");
		this.chromium = Chromium.start("en");
		this.browser = this.chromium.driver();
		// Headless Chromium saves downloads only where it is told to.
		((ChromeDriver) this.browser).executeCdpCommand("Browser.setDownloadBehavior",
				Map.of("behavior", "allow", "downloadPath", this.downloads.toString()));
		this.browser.get(gateway.url() + "/console");
		waitFor(By.id("username")).sendKeys(user);
		this.browser.findElement(By.id("password")).sendKeys(IdentityProvider.DEMO_PASSWORD);
		this.browser.findElement(By.cssSelector("button[type=submit]")).click();
		assertThat(waitFor(By.cssSelector("header .user")).getText()).isEqualTo(user);
	}

	private WebElement row(String deviceId) {
		return waitFor(By.cssSelector("tr[data-device-id='" + deviceId + "']"));
	}

	private WebElement waitFor(By locator) {
		return this.chromium.await(locator, WAIT);
	}

	private void screenshot(String name) throws IOException {
		this.chromium.screenshot(SCREENSHOTS.resolve(name));
	}

}
