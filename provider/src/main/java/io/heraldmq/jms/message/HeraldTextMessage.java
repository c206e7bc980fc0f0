package io.heraldmq.jms.message;

import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.TextMessage;

import java.nio.charset.StandardCharsets;

/** A message whose body is a String (UTF-8 on the wire; a null text is no body). */
public class HeraldTextMessage extends HeraldMessage implements TextMessage {
    private String text;

    public HeraldTextMessage() {
    }

    public HeraldTextMessage(String text) {
        this.text = text;
    }

    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    byte wireBodyType() {
        return WireMessage.BODY_TEXT;
    }

    @Override
    Buffer encodeBody() {
        return text == null ? null : Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void decodeBody(byte[] body) {
        text = body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    @Override
    void clearBodyContent() {
        text = null;
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        text = ((TextMessage) foreign).getText();
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (text == null) {
            return null;
        }
        if (!c.isAssignableFrom(String.class)) {
            throw new MessageFormatException("TextMessage body cannot be assigned to " + c.getName());
        }
        return c.cast(text);
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return text == null || c.isAssignableFrom(String.class);
    }
}
