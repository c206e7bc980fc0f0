package io.heraldmq.ra.app;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Container-managed transactions (REQUIRED) over the server's H2 data source and the resource adapter's pooled
 * connection factory. A RuntimeException rolls the transaction back.
 */
@Stateless
public class TxBean {
    @Resource(lookup = "jms/heraldCF")
    private ConnectionFactory cf;
    @Resource(lookup = "jdbc/__default")
    private DataSource db;

    /**
     * A row and a message (through a JMSContext) in one transaction; then a failure if asked for, which undoes
     * both.
     */
    public void writeAndSend(String id, boolean fail) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ra_rows (id) VALUES (?)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try (JMSContext context = cf.createContext()) {
            context.createProducer().setProperty("row", id).send(context.createQueue("ra.jta"), id);
        }
        if (fail) {
            throw new IllegalStateException("the failure the test asked for");
        }
    }

    public boolean rowExists(String id) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ra_rows WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A message in a transaction that also has {@link BlockingXAResource}, enlisted first so that the transaction
     * manager prepares both and then blocks in its commit, before it commits HeraldMQ's branch.
     */
    public void sendWithBlockingBranch(String id) {
        try {
            jakarta.transaction.TransactionManager tm = (jakarta.transaction.TransactionManager)
                    new InitialContext().lookup("java:appserver/TransactionManager");
            tm.getTransaction().enlistResource(BlockingXAResource.INSTANCE);
        } catch (NamingException | jakarta.transaction.SystemException | jakarta.transaction.RollbackException e) {
            throw new IllegalStateException(e);
        }
        send("ra.crash", id);
    }

    private void send(String queue, String body) {
        try (jakarta.jms.Connection c = cf.createConnection(); Session s = c.createSession()) {
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(body));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
