package dev.switchboard.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium driven through Selenium: Debian's {@code chromium} and
 * {@code chromedriver} from the PATH ({@code .ci/run} installs them), so Selenium Manager
 * never downloads a browser or a driver.
 */
final class Chromium implements AutoCloseable {

	private final ChromeDriver driver;

	private final Path profile;

	private Chromium(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * Skips the calling test class where Debian's Chromium and its driver are not
	 * installed (the README's test command on a fresh machine), unless
	 * {@code SWITCHBOARD_REQUIRE_BROWSER=true}, which {@code .ci/run} sets after
	 * installing them: there a missing browser fails rather than skipping the console's
	 * tests.
	 */
	static void assumeInstalled() {
		if (onPath("chromium").isPresent() && onPath("chromedriver").isPresent()) {
			return;
		}
		String hint = "Chromium and chromedriver are not on the PATH: apt-get install chromium chromium-driver "
				+ "(.ci/run does)";
		if ("true".equalsIgnoreCase(System.getenv("SWITCHBOARD_REQUIRE_BROWSER"))) {
			throw new IllegalStateException(hint);
		}
		Assumptions.abort(hint);
	}

	/**
	 * Starts a browser.
	 * @param language the browser's preferred language ({@code Accept-Language})
	 * @return the browser
	 * @throws IOException if its profile directory cannot be made
	 */
	static Chromium start(String language) throws IOException {
		Path driverBinary = onPath("chromedriver").orElseThrow(
				() -> new IllegalStateException("chromedriver is not on the PATH: apt-get install chromium-driver"));
		Path browser = onPath("chromium")
			.orElseThrow(() -> new IllegalStateException("chromium is not on the PATH: apt-get install chromium"));
		System.setProperty("webdriver.chrome.driver", driverBinary.toString());
		Path profile = Files.createTempDirectory("console-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser.toFile());
		// As root Chromium needs --no-sandbox; the rest keeps it from calling out.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,860", "--lang=" + language, "--user-data-dir=" + profile);
		options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		return new Chromium(driver, profile);
	}

	WebDriver driver() {
		return this.driver;
	}

	/**
	 * Waits for an element to be visible.
	 * @param by what to find
	 * @param timeout how long
	 * @return the element
	 */
	WebElement await(By by, Duration timeout) {
		return new WebDriverWait(this.driver, timeout).until(ExpectedConditions.visibilityOfElementLocated(by));
	}

	/**
	 * Waits for a condition on pages the console re-renders (live events, a form's
	 * reload): an element found a moment before may be gone when the condition reads it,
	 * so a stale element means "not yet" and the condition is asked again.
	 * @param <T> what the condition gives
	 * @param timeout how long
	 * @param condition non-null and not {@code false} once met
	 * @return what the condition gave
	 */
	<T> T until(Duration timeout, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, timeout).ignoring(StaleElementReferenceException.class)
			.until(condition::apply);
	}

	/**
	 * Clicks whatever element matches now, finding it again if the page replaced it
	 * between finding and clicking.
	 * @param by what to click
	 * @param timeout how long
	 */
	void click(By by, Duration timeout) {
		until(timeout, (driver) -> {
			driver.findElement(by).click();
			return true;
		});
	}

	/**
	 * Saves a screenshot of the page as a PNG.
	 * @param file where
	 * @throws IOException if it cannot be written
	 */
	void screenshot(Path file) throws IOException {
		File shot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
		Files.createDirectories(file.getParent());
		Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
	}

	@Override
	public void close() {
		this.driver.quit();
		try (Stream<Path> files = Files.walk(this.profile)) {
			files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// A temporary profile left behind harms nothing.
		}
	}

	private static Optional<Path> onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		return Stream.of(path.split(File.pathSeparator))
			.map((directory) -> Path.of(directory, command))
			.filter(Files::isExecutable)
			.findFirst();
	}

}
