package io.heraldmq.ra.app;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * What the test drives over HTTP: {@code /t/tx?id=&fail=}, {@code /t/row?id=}, {@code /t/received?bean=},
 * {@code /t/crash?id=} (blocks until its transaction completes), {@code /t/crash-state}, {@code /t/crash-release}.
 */
@WebServlet("/t/*")
public class TestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private TxBean tx;
    @EJB
    private Received received;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String id = req.getParameter("id");
        resp.setContentType("text/plain");
        try {
            String answer = switch (path) {
                case "/tx" -> {
                    tx.writeAndSend(id, Boolean.parseBoolean(req.getParameter("fail")));
                    yield "committed";
                }
                case "/row" -> Boolean.toString(tx.rowExists(id));
                case "/received" -> received.report(req.getParameter("bean"));
                case "/crash" -> {
                    tx.sendWithBlockingBranch(id);
                    yield "committed";
                }
                case "/crash-state" -> BlockingXAResource.INSTANCE.state();
                case "/crash-release" -> {
                    BlockingXAResource.INSTANCE.release();
                    yield "released";
                }
                default -> {
                    resp.setStatus(404);
                    yield "no such path " + path;
                }
            };
            resp.getWriter().print(answer);
        } catch (EJBException | IllegalStateException e) {
            resp.setStatus(500);
            resp.getWriter().print("failed: " + e);
        }
    }
}
