package io.heraldmq.server.cluster;

import io.heraldmq.server.meta.DeadLetterSettings;
import io.heraldmq.server.subscription.DeadLetters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterDeadLetterSettingsTest {
    @Test
    void settingsSurviveTheMapsEncoding() {
        for (DeadLetterSettings s : new DeadLetterSettings[]{
                new DeadLetterSettings(true, "orders", 5, 1000, 2.5, 60_000, "DLQ.special"),
                new DeadLetterSettings(false, "prices.eu", -1, 0, 1.0, 0, null)}) {
            String key = DeadLetters.settingsKey(s.queue(), s.name());
            assertEquals(s, ClusterDeadLetterSettings.decode(key, ClusterDeadLetterSettings.encode(s)));
        }
    }

    @Test
    void unreadableValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClusterDeadLetterSettings.decode("queue://q", "5\n1"));
        assertThrows(IllegalArgumentException.class, () -> ClusterDeadLetterSettings.decode("q:q", "5\n1\n1\n0\n"));
        assertThrows(NumberFormatException.class, () -> ClusterDeadLetterSettings.decode("queue://q",
                "x\n1\n1\n0\n"));
    }
}
