package io.heraldmq.connect.jdbc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnMappingTest {
    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ColumnMapping.parse(text)).getMessage();
    }

    @Test
    void columnsMapToTheBodyHeadersAndProperties() {
        ColumnMapping m = ColumnMapping.parse("ts=JMSTimestamp, host = host,count=JMSXDeliveryCount,line=body");
        assertEquals(List.of(
                new ColumnMapping.Column("ts", new MessageField(MessageField.Kind.HEADER, "JMSTimestamp")),
                new ColumnMapping.Column("host", new MessageField(MessageField.Kind.PROPERTY, "host")),
                new ColumnMapping.Column("count", new MessageField(MessageField.Kind.PROPERTY, "JMSXDeliveryCount")),
                new ColumnMapping.Column("line", new MessageField(MessageField.Kind.BODY, "body"))), m.columns());
        assertEquals("ts=JMSTimestamp,host=host,count=JMSXDeliveryCount,line=body", m.toString());
        assertEquals("host", m.column("HOST").name());
    }

    @Test
    void malformedMappingsAreRefusedSayingWhy() {
        assertTrue(error("ts").contains("not COLUMN=FIELD: ts"));
        assertTrue(error("").contains("not COLUMN=FIELD"));
        assertTrue(error("ts=JMSTimeStamp").contains("unknown JMS header JMSTimeStamp"));
        assertTrue(error("a=x,A=y").contains("column A is mapped twice"));
        assertTrue(error("drop table=body").contains("not a plain SQL name"));
        assertTrue(error("a=b-c").contains("not body, a JMS header or a property name: b-c"));
    }

    @Test
    void tableNamesArePlainSqlNamesWithAnOptionalSchema() {
        assertEquals(new SqlName(null, "logs"), SqlName.table("logs"));
        assertEquals(new SqlName("app", "logs"), SqlName.table("app.logs"));
        assertThrows(IllegalArgumentException.class, () -> SqlName.table("logs; DROP TABLE x"));
        assertThrows(IllegalArgumentException.class, () -> SqlName.table("\"Logs\""));
        assertEquals("LOGS", SqlName.folded("logs", true, false));
        assertEquals("logs", SqlName.folded("Logs", false, true));
    }
}
