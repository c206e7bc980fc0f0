package io.heraldmq.server.console;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.security.PasswordHash;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against a real
 * broker with a user who may manage and browse: log in, watch a topic's message count rise, browse a queue's
 * message, move a dead letter back, seek a durable subscription, and the cluster page of a single node. A
 * screenshot of each page goes to {@code target/console-screenshots/}. Skipped only where no Chromium is
 * installed.
 */
class ConsoleBrowserIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of(
            "user.ops", PasswordHash.create("ops-pw".toCharArray(), 1_000).encoded(),
            "user.ops.roles", "admin",
            "permission.manage.#", "admin",
            "permission.browse.#", "admin",
            "permission.send.#", "admin",
            "permission.consume.#", "admin",
            "permission.createDestination.#", "admin",
            "permission.createDurable.#", "admin",
            "max.delivery.attempts", "2"));

    private static ChromeDriverService service;
    private static WebDriver driver;
    private static Connection jms;

    @BeforeAll
    static void startBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium (apt-get install chromium chromium-driver)");
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,1000", "--no-first-run", "--disable-extensions");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
        jms = new HeraldConnectionFactory(broker.url()).createConnection("ops", "ops-pw");
        jms.setClientID("console-app");
        jms.start();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (jms != null) {
            jms.close();
        }
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void anOperatorWorksThroughEveryPage() throws Exception {
        String base = broker.broker().httpUrl() + "/console/";
        Session s = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic orders = s.createTopic("console.orders");
        MessageConsumer audit = s.createDurableSubscriber(orders, "audit");
        MessageProducer producer = s.createProducer(orders);
        producer.send(s.createTextMessage("first order"));

        // log in
        driver.get(base);
        assertTrue(driver.getCurrentUrl().endsWith("/console/login"), driver.getCurrentUrl());
        shot("login");
        driver.findElement(By.id("username")).sendKeys("ops");
        driver.findElement(By.id("password")).sendKeys("ops-pw");
        driver.findElement(By.id("login")).click();
        assertEquals("ops", driver.findElement(By.id("user")).getText());
        assertNotNull(driver.findElement(By.id("connections")));
        shot("overview");

        // a topic's message count rises
        driver.get(base + "destinations");
        assertEquals("1", topicMessages("console.orders"));
        for (int i = 0; i < 3; i++) {
            producer.send(s.createTextMessage("order " + i));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            driver.navigate().refresh();
            assertEquals("4", topicMessages("console.orders"));
        });
        int logEnd = 0;
        for (WebElement p : driver.findElements(By.cssSelector("tr[data-destination='console.orders'] .log-end"))) {
            logEnd += Integer.parseInt(p.getText());
        }
        assertEquals(4, logEnd, "the partitions' log-end offsets add up to the messages sent");
        shot("destinations");

        // browse a queue's message
        MessageProducer work = s.createProducer(s.createQueue("console.work"));
        TextMessage hello = s.createTextMessage("hello <b>browser</b>");
        hello.setStringProperty("customer", "ACME");
        work.send(hello);
        driver.get(base + "destinations");
        driver.findElement(By.cssSelector("tr[data-destination='console.work'] a.browse")).click();
        assertEquals("1 message(s)", driver.findElement(By.id("count")).getText());
        assertEquals("hello <b>browser</b>", driver.findElement(By.cssSelector("section.message pre.body"))
                .getText());
        assertTrue(driver.findElement(By.cssSelector("section.message .message-properties")).getText()
                .contains("customer ACME"));
        shot("browse");

        // a dead letter moves back
        Session tx = jms.createSession(true, Session.SESSION_TRANSACTED);
        s.createProducer(s.createQueue("console.poison")).send(s.createTextMessage("poison pill"));
        MessageConsumer poisoned = tx.createConsumer(tx.createQueue("console.poison"));
        for (int i = 0; i < 2; i++) { // max.delivery.attempts = 2
            assertNotNull(poisoned.receive(5000));
            tx.rollback();
        }
        poisoned.close();
        driver.get(base + "dead-letters");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            driver.navigate().refresh();
            assertEquals("1", driver.findElement(By.cssSelector("tr[data-queue='DLQ.console.poison'] td.messages"))
                    .getText());
        });
        shot("dead-letter-queues");
        driver.findElement(By.linkText("DLQ.console.poison")).click();
        assertEquals("1 message(s)", driver.findElement(By.id("count")).getText());
        assertTrue(driver.findElement(By.id("dead-letters")).getText().contains("queue://console.poison"));
        shot("dead-letters");
        driver.findElement(By.cssSelector("#dead-letters button.retry")).click();
        assertEquals("moved 1 message(s) back from DLQ.console.poison", driver.findElement(By.id("notice"))
                .getText());
        assertEquals("0 message(s)", driver.findElement(By.id("count")).getText());
        shot("dead-letters-retried");
        Session back = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer again = back.createConsumer(back.createQueue("console.poison"));
        assertEquals("poison pill", ((TextMessage) again.receive(5000)).getText());
        again.close();

        // seek a durable subscription back to its beginning
        for (int i = 0; i < 4; i++) {
            assertNotNull(audit.receive(5000));
        }
        audit.close();
        String row = "tr[data-subscription='durable:console-app:audit'] ";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            driver.get(base + "subscriptions?topic=console.orders");
            assertEquals("0", driver.findElement(By.cssSelector(row + "td.lag")).getText());
            assertEquals("0", driver.findElement(By.cssSelector(row + "td.consumers")).getText());
        });
        new Select(driver.findElement(By.cssSelector(row + "form.seek select[name='to']")))
                .selectByValue("beginning");
        driver.findElement(By.cssSelector(row + "form.seek button")).click();
        assertTrue(driver.findElement(By.id("notice")).getText()
                .startsWith("subscription durable:console-app:audit now at {0=0}"));
        assertEquals("4", driver.findElement(By.cssSelector(row + "td.lag")).getText());
        shot("subscriptions");

        // the cluster page of a single node, and log out
        driver.get(base + "cluster");
        assertTrue(driver.findElement(By.id("single-node")).getText().contains("not clustered"));
        shot("cluster");
        driver.findElement(By.id("logout")).click();
        // the click returns before a loaded machine's browser has followed the redirect
        await("back at the login page").atMost(Duration.ofSeconds(10))
                .until(() -> driver.getCurrentUrl().endsWith("/console/login"));
        driver.get(base + "destinations");
        assertTrue(driver.getCurrentUrl().endsWith("/console/login"), "the session ended");
    }

    private static String topicMessages(String name) {
        List<WebElement> cells = driver.findElements(By.cssSelector("tr[data-destination='" + name + "'] td.messages"));
        return cells.isEmpty() ? "(none)" : cells.get(0).getText();
    }

    private static void shot(String page) throws IOException {
        File png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SCREENSHOTS.resolve(page + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
