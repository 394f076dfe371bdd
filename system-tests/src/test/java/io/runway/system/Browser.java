package io.runway.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through Debian's chromedriver, with a throwaway profile. Fails with a clear message
 * when either is missing: the browser tests never skip ({@code ./dev test} installs both with apt).
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path profile;

    Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("The console's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian packages chromium and chromium-driver). ./dev test installs them with apt when run as"
                    + " root; otherwise: sudo apt-get install chromium chromium-driver");
        }
        try {
            profile = Files.createTempDirectory("console-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        resize(1280, 900);
    }

    ChromeDriver driver() {
        return driver;
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return until(Duration.ofSeconds(10), d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    <T> T until(Duration timeout, Function<WebDriver, T> condition) {
        try {
            // the page re-renders live: an element found one moment may be replaced before it is read
            return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                    .ignoring(StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (RuntimeException e) {
            var shot = SystemStack.projectRootPath().resolve("system-tests/target/browser-failure.png");
            try {
                Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
                System.err.println("browser at " + driver.getCurrentUrl() + ", screenshot " + shot + "\n"
                        + driver.findElement(By.tagName("body")).getText());
            } catch (IOException | RuntimeException ignored) {
                // the original failure matters more
            }
            throw e;
        }
    }

    /** Signs in through the console's form with {@code token}; returns once the runs page shows. */
    void signIn(String gatewayUrl, String token) {
        if (!present("#sign-in-form")) {
            open(gatewayUrl + "/console/#/sign-in");
        }
        var field = find("#token");
        field.clear();
        field.sendKeys(token);
        find("#sign-in").click();
        until(Duration.ofSeconds(10), d -> present("#sign-in-form") ? null : true);
        find("nav#nav a[data-nav='runs'][aria-current='page']");
    }

    /** Signs in through the console's operator form with the admin key; returns once the fleet page shows. */
    void signInAsAdmin(String gatewayUrl, String adminKey) {
        if (!present("#admin-sign-in-form")) {
            open(gatewayUrl + "/console/#/sign-in");
        }
        var field = find("#admin-key");
        field.clear();
        field.sendKeys(adminKey);
        find("#admin-sign-in").click();
        find("nav#nav a[data-nav='fleet'][aria-current='page']");
    }

    /** The status with which the gateway answers this page's {@code GET /api/v1/session} (its cookie, if any). */
    long sessionStatus() {
        return (Long) driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/session', {credentials: 'same-origin'}).then(r => done(r.status), () => done(-1));");
    }

    /**
     * Writes a PNG of the page into system-tests/target/console-screenshots/, or into docs/console/ (shown in
     * docs/console.md) when the tests run with {@code -Dconsole.screenshots=docs}: a plain test run leaves the
     * checkout as it found it.
     */
    void screenshot(String name) {
        var root = SystemStack.projectRootPath();
        var dir = "docs".equals(System.getProperty("console.screenshots"))
                ? root.resolve("docs/console")
                : root.resolve("system-tests/target/console-screenshots");
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
