package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.assertInvalid;
import static io.heraldmq.selector.Sel.msg;
import static io.heraldmq.selector.Sel.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 3.8.1.1 Identifiers: Java identifier characters, reserved words, case sensitivity, headers and properties. */
class SelectorIdentifierTest {

    @Test
    void identifiersFollowJavaIdentifierRules() {
        assertEval(T, "_x = 1", "_x", 1);
        assertEval(T, "$x = 1", "$x", 1);
        assertEval(T, "x$_9 = 1", "x$_9", 1);
        assertEval(T, "\u00e9t\u00e9 = 1", "\u00e9t\u00e9", 1);
        assertEval(T, "\u65e5\u672c = 1", "\u65e5\u672c", 1);
        assertEval(T, "prop_name IS NOT NULL", "prop_name", "v");
        assertInvalid("9x = 1");
        assertInvalid("a.b = 1");
        assertInvalid("a-b");
        assertInvalid("#a = 1");
    }

    @Test
    void identifiersAreCaseSensitive() {
        SelectorContext m = msg("Color", "red");
        assertEval(T, "Color = 'red'", m);
        assertEval(U, "color = 'red'", m);
        assertEval(U, "COLOR = 'red'", m);
        assertEval(T, "color IS NULL", m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE",
            "null", "True", "false", "not", "And", "or", "between", "Like", "in", "is", "escape"})
    void reservedWordsCannotBeIdentifiers(String word) {
        assertInvalid(word + " IS NULL");
        assertInvalid(word + " LIKE 'a'");
        assertInvalid("x = 'a' AND " + word + " IN ('a')");
    }

    @Test
    void wordsContainingReservedWordsAreIdentifiers() {
        assertEval(T, "ANDY = 1 AND ORDER = 2 AND NOTE = 3 AND ISBN = 4 AND INX = 5 AND NULLS = 6 AND TRUEISH = 7",
                "ANDY", 1, "ORDER", 2, "NOTE", 3, "ISBN", 4, "INX", 5, "NULLS", 6, "TRUEISH", 7);
        assertEval(T, "escaped LIKE 'x' AND liked = 1 AND between_ = 2", "escaped", "x", "liked", 1, "between_", 2);
    }

    @Test
    void keywordsAreCaseInsensitive() {
        SelectorContext m = msg("a", 5, "s", "abc", "n", null);
        assertEval(T, "a between 1 and 10 and s like 'a%' escape '!' and s in ('abc') and n is null and not a = 4 or FALSE", m);
        assertEval(T, "a NoT bEtWeEn 6 AnD 10 aNd s NoT lIkE 'b%' AND s Not In ('x') aND n iS nOt NuLl oR tRuE", m);
    }

    @Test
    void missingIdentifiersAreNull() {
        assertEval(U, "missing = 1");
        assertEval(U, "missing = 'x'");
        assertEval(U, "missing");
        assertEval(T, "missing IS NULL");
        assertEval(F, "missing IS NOT NULL");
    }

    @Test
    void propertyTypesAreNotConverted() {
        // spec: setStringProperty("NumberOfOrders", "2") then "NumberOfOrders > 1" is false
        assertEval(F, "NumberOfOrders > 1", "NumberOfOrders", "2");
        assertEval(T, "NumberOfOrders > 1", "NumberOfOrders", 2);
        assertEval(F, "flag = 'true'", "flag", true);
        assertEval(F, "s = TRUE", "s", "true");
    }

    @Test
    void headerFieldsComeFromTheContext() {
        SelectorContext m = msg("JMSDeliveryMode", "PERSISTENT", "JMSPriority", 7, "JMSMessageID", "ID:1",
                "JMSTimestamp", 1000L, "JMSCorrelationID", "c1", "JMSType", "car");
        assertEval(T, "JMSDeliveryMode = 'PERSISTENT'", m);
        assertEval(F, "JMSDeliveryMode = 'NON_PERSISTENT'", m);
        assertEval(T, "JMSPriority > 4 AND JMSPriority BETWEEN 0 AND 9", m);
        assertEval(T, "JMSMessageID = 'ID:1'", m);
        assertEval(T, "JMSTimestamp >= 1000 AND JMSTimestamp < 1001", m);
        assertEval(T, "JMSCorrelationID LIKE 'c_'", m);
        assertEval(T, "JMSType IN ('car', 'truck')", m);
        // JMSMessageID, JMSCorrelationID and JMSType may be null and are then NULL
        SelectorContext none = msg("JMSDeliveryMode", "NON_PERSISTENT", "JMSPriority", 4, "JMSTimestamp", 0L);
        assertEval(T, "JMSMessageID IS NULL AND JMSCorrelationID IS NULL AND JMSType IS NULL", none);
        assertEval(U, "JMSType = 'car'", none);
        assertEval(T, "JMSDeliveryMode = 'NON_PERSISTENT' AND JMSPriority = 4 AND JMSTimestamp = 0", none);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JMSDestination", "JMSReplyTo", "JMSRedelivered", "JMSDeliveryTime"})
    void headerFieldsSelectorsCannotReferenceAreAlwaysNull(String header) {
        // "Message header field references are restricted to JMSDeliveryMode, JMSPriority, JMSMessageID,
        // JMSTimestamp, JMSCorrelationID, and JMSType." The others (but JMSExpiration, as in Artemis and Classic) parse,
        // are never looked up, and are NULL.
        List<String> asked = new ArrayList<>();
        SelectorContext m = id -> {
            asked.add(id);
            return "x";
        };
        assertEval(T, header + " IS NULL", m);
        assertEval(U, header + " = 'x'", m);
        assertEquals(List.of(), asked);
    }

    @Test
    void jmsxAndProviderPropertiesAreProperties() {
        SelectorContext m = msg("JMSXGroupID", "g1", "JMSXDeliveryCount", 2, "JMS_Heraldmq_Partition", 3);
        assertEval(T, "JMSXGroupID = 'g1' AND JMSXDeliveryCount > 1 AND JMS_Heraldmq_Partition = 3", m);
        assertEval(T, "JMSXUserID IS NULL", m);
    }

    @Test
    void identifierIsLookedUpOnEachReference() {
        List<String> asked = new ArrayList<>();
        SelectorContext m = id -> {
            asked.add(id);
            return 1;
        };
        parse("a = 1 AND b = 1").matches(m);
        assertEquals(List.of("a", "b"), asked);
    }

    @Test
    void booleanIdentifierIsAConditionalExpression() {
        assertEval(T, "flag", "flag", true);
        assertEval(F, "flag", "flag", false);
        assertEval(U, "flag");
        assertEval(U, "flag", "flag", "true");
        assertEval(U, "flag", "flag", 1);
        assertEval(T, "NOT flag AND other", "flag", false, "other", true);
    }

    @Test
    void valuesOfOtherTypesNeverCompare() {
        assertEval(F, "c = 'a'", "c", 'a');
        assertEval(F, "c = 97", "c", 'a');
        assertEval(U, "c + 1 = 98", "c", 'a');
        assertEval(F, "b = 'x'", "b", new byte[] {'x'});
        assertEval(U, "c IN ('a')", "c", 'a');
    }
}
