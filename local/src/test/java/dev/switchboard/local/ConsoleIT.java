package dev.switchboard.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real Chromium against the platform as {@code ./start-local} runs it
 * (the services, the console and the local OpenID Connect provider as processes, the
 * WhatsApp sandbox playing Meta and the customers), reached only through the gateway: an
 * agent signs in at the provider's login form, sees a customer's message arrive without
 * reloading, answers with a quick reply typed after {@code /}, and watches the ticks turn
 * to read; a conversation whose window closed offers only templates. Screenshots go to
 * {@code docs/screenshots/}.
 */
class ConsoleIT {

	private static final Duration LIVE = Duration.ofSeconds(30);

	private static final Path SCREENSHOTS = Path.of("").toAbsolutePath().getParent().resolve("docs/screenshots");

	private static Gateway gateway;

	private static String owner;

	private static String template;

	@BeforeAll
	static void start() throws Exception {
		Chromium.assumeInstalled();
		gateway = Gateway.start(Path.of("target/console-logs").toAbsolutePath(), Map.of());
		owner = gateway.token("olivia");
		// What an owner sets up before agents start: Mario's device, a quick reply, a
		// label and an approved template.
		gateway.revokeDevices(owner);
		gateway.ok(owner, "POST", "/api/v1/devices",
				"{\"name\":\"Chrome Mario\",\"kind\":\"WEB\",\"agentId\":\"mario\"}");
		gateway.ok(owner, "POST", "/api/v1/quick-replies",
				"{\"shortcut\":\"shipped\",\"text\":\"Your order left our warehouse today.\"}");
		gateway.ok(owner, "POST", "/api/v1/labels", "{\"name\":\"vip\",\"color\":\"#d4a017\"}");
		template = "order_update_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
		gateway.ok(owner, "PUT", "/api/v1/templates",
				"{\"name\":\"" + template + "\",\"language\":\"en\",\"category\":\"UTILITY\",\"status\":\"APPROVED\"}");
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void whenACustomerWritesThenTheAgentSeesItLiveAnswersWithAQuickReplyAndSeesItRead() throws Exception {
		try (Chromium browser = Chromium.start("en")) {
			WebDriver page = browser.driver();
			signIn(browser, "mario", "/console/inbox?view=all");
			assertThat(page.getTitle()).startsWith("Inbox");
			browser.await(By.id("presence"), LIVE);
			new Select(page.findElement(By.id("presence"))).selectByValue("ONLINE");
			browser.until(LIVE,
					(driver) -> "ONLINE".equals(driver.findElement(By.id("presence")).getAttribute("data-presence")));
			// Marks this page: a reload would lose the mark.
			((JavascriptExecutor) page).executeScript("window.consoleItMark = true;");

			String waId = "3933380" + (100_000 + (int) (Math.random() * 800_000));
			assertThat(gateway.sandbox().customerWrites(waId, "Giulia Rossi", "Is my order shipped?").webhookStatus())
				.isEqualTo(200);
			// By its id: earlier tests on the shared database have customers of this name
			// too.
			By conversation = By
				.cssSelector("a[data-conversation-id='" + ConversationIds.of(Gateway.TENANT.id(), waId) + "']");
			browser.await(conversation, LIVE);
			assertThat(((JavascriptExecutor) page).executeScript("return window.consoleItMark === true;"))
				.as("the message arrived without a reload")
				.isEqualTo(true);
			browser.screenshot(SCREENSHOTS.resolve("agent-inbox.png"));

			// The list is re-rendered on live events: click whatever link is there now.
			browser.click(conversation, LIVE);
			WebElement reply = browser.await(By.id("reply"), LIVE);
			assertThat(page.findElement(By.id("thread")).getText()).contains("Is my order shipped?");
			reply.sendKeys("/ship");
			// The list follows every keystroke: wait for the one answering "/ship" (the
			// shared test database holds other tests' quick replies, which "/" lists).
			browser.until(LIVE, (driver) -> {
				List<WebElement> listed = driver.findElements(By.cssSelector("#quick-replies [data-quick-reply]"));
				return !listed.isEmpty() && listed.stream().allMatch((item) -> item.getText().contains("/ship"));
			});
			WebElement quickReply = page.findElement(By.cssSelector("#quick-replies [data-quick-reply]"));
			assertThat(quickReply.getText()).contains("/shipped");
			reply.sendKeys(Keys.ARROW_DOWN);
			page.switchTo().activeElement().sendKeys(Keys.ENTER);
			assertThat(reply.getAttribute("value")).isEqualTo("Your order left our warehouse today.");
			page.findElement(By.id("send-button")).click();

			WebElement read = browser.await(By.xpath("//li[contains(@class,'outbound')]"
					+ "[.//span[@class='body' and text()='Your order left our warehouse today.']]"
					+ "//span[@data-tick='read']"), LIVE);
			assertThat(read.getAttribute("class")).contains("read");
			assertThat(page.findElement(By.id("reply")).getAttribute("value")).as("the composer is emptied").isEmpty();
			browser.screenshot(SCREENSHOTS.resolve("conversation.png"));
		}
	}

	@Test
	void whenTheWindowIsClosedThenTheComposerOffersOnlyApprovedTemplates() throws Exception {
		String waId = "3933390" + (100_000 + (int) (Math.random() * 800_000));
		// The customer wrote 25 hours ago: the window that message opened has closed.
		String body = WhatsAppWebhooks.textMessage(Gateway.TENANT.phoneNumberId(), waId, "Jonas Weber",
				"wamid." + UUID.randomUUID(), Instant.now().minus(Duration.ofHours(25)), "Any news?");
		assertThat(gateway
			.call(null, "POST", "/webhooks/whatsapp", body, "X-Hub-Signature-256",
					WhatsAppWebhooks.signature(Gateway.TENANT.appSecret(), body))
			.statusCode()).isEqualTo(200);
		String conversationId = conversationOf("Jonas Weber");
		org.awaitility.Awaitility.await()
			.atMost(LIVE)
			.until(() -> gateway.call(owner, "GET", "/api/v1/conversations/" + conversationId + "/window", null)
				.body()
				.contains("EXPIRED"));
		try (Chromium browser = Chromium.start("en")) {
			WebDriver page = browser.driver();
			signIn(browser, "mario", "/console/conversations/" + conversationId + "?view=all");
			WebElement picker = browser.await(By.id("template"), LIVE);
			assertThat(page.findElements(By.id("reply"))).as("no free text outside the window").isEmpty();
			assertThat(page.findElement(By.cssSelector("#window .window")).getAttribute("class")).contains("expired");
			new Select(picker).selectByValue(template + "|en");
			browser.await(By.id("presence"), LIVE);
			browser.screenshot(SCREENSHOTS.resolve("template-picker.png"));
			page.findElement(By.id("send-template-button")).click();
			browser.await(By.xpath(
					"//li[contains(@class,'outbound')][.//span[@class='body' and text()='[" + template + "]']]"), LIVE);
		}
	}

	@Test
	void whenTheSessionIsGoneThenTheNextActionSignsInAgainAndReturnsToThePage() throws Exception {
		String waId = "3933395" + (100_000 + (int) (Math.random() * 800_000));
		assertThat(gateway.sandbox().customerWrites(waId, "Marta Kovacs", "Hello?").webhookStatus()).isEqualTo(200);
		String conversationId = conversationOf("Marta Kovacs");
		try (Chromium browser = Chromium.start("en")) {
			WebDriver page = browser.driver();
			String path = "/console/conversations/" + conversationId;
			signIn(browser, "lucia", path + "?view=all");
			WebElement resolve = browser.await(By.id("resolve-button"), LIVE);
			// The console forgets the session (as after its idle timeout or a restart);
			// the
			// provider still knows the user.
			page.manage().deleteCookieNamed("SWITCHBOARD_CONSOLE");
			resolve.click();
			browser.until(LIVE,
					(driver) -> driver.getCurrentUrl().equals(gateway.url() + path + "?view=all")
							&& !driver.findElements(By.id("conversation-head")).isEmpty()
							&& driver.manage().getCookieNamed("SWITCHBOARD_CONSOLE") != null);
			assertThat(page.findElement(By.cssSelector(".who .user")).getText()).isEqualTo("lucia");
		}
	}

	@Test
	void whenTheUserSwitchesToItalianThenThePagesSpeakItalian() throws Exception {
		try (Chromium browser = Chromium.start("en")) {
			WebDriver page = browser.driver();
			signIn(browser, "lucia", "/console/inbox");
			assertThat(page.getTitle()).startsWith("Inbox");
			new Select(page.findElement(By.id("language"))).selectByValue("it");
			browser.until(LIVE, (driver) -> driver.getTitle().startsWith("Posta in arrivo"));
			assertThat(page.findElement(By.cssSelector("html")).getAttribute("lang")).isEqualTo("it");
		}
	}

	/**
	 * Opens a console page, signs in at the provider's form and lands on the page.
	 */
	private static void signIn(Chromium browser, String user, String path) {
		WebDriver page = browser.driver();
		page.get(gateway.url() + path);
		browser.await(By.id("username"), LIVE).sendKeys(user);
		page.findElement(By.id("password")).sendKeys(IdentityProvider.DEMO_PASSWORD);
		page.findElement(By.cssSelector("button[type=submit]")).click();
		browser.until(LIVE,
				(driver) -> driver.getCurrentUrl().startsWith(gateway.url() + path.replaceAll("\\?.*", "")));
	}

	private static String conversationOf(String name) throws Exception {
		return org.awaitility.Awaitility.await().atMost(LIVE).until(() -> {
			JsonNode page = gateway.ok(owner, "GET", "/api/v1/conversations?limit=100", null);
			for (JsonNode conversation : page.get("items")) {
				if (name.equals(conversation.path("profileName").asText())) {
					return conversation.get("id").asText();
				}
			}
			return null;
		}, java.util.Objects::nonNull);
	}

}
