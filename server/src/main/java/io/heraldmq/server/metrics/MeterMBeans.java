package io.heraldmq.server.metrics;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every meter of a broker's registry as an MBean of the platform MBean server, so JConsole, VisualVM and JMX
 * exporters see the figures {@code /metrics} shows:
 * {@code io.heraldmq:type=<meter name>,broker=<broker id>,<tag>=<"value">...}, e.g.
 * {@code io.heraldmq:type=heraldmq.messages.in,broker=3f2a9c1e,kind="queue",destination="orders",partition="0"},
 * with one read-only {@code double} attribute per statistic of the meter ({@code Count}, {@code Value},
 * {@code TotalTime}, {@code Max}, ...).
 * <p>
 * Why MBeans of our own rather than Micrometer's JmxMeterRegistry: these read the very meters the Prometheus
 * registry holds, when a JMX client asks, so nothing is recorded twice on the hot path (a JmxMeterRegistry in a
 * composite records every update again into Dropwizard meters, whose timers update a lock-guarded decaying
 * reservoir); the tags stay key properties that JMX exporters turn back into labels, rather than being folded into
 * one hierarchical name; and no Dropwizard dependency comes along.
 */
public final class MeterMBeans {
    private static final Logger LOG = LoggerFactory.getLogger(MeterMBeans.class);
    public static final String DOMAIN = "io.heraldmq";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String brokerId;
    private final Map<Meter.Id, ObjectName> registered = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private MeterMBeans(String brokerId) {
        this.brokerId = brokerId;
    }

    /** Registers the registry's meters, and from now on those added, and unregisters those removed. */
    public static MeterMBeans expose(MeterRegistry registry, String brokerId) {
        MeterMBeans beans = new MeterMBeans(brokerId);
        registry.config().onMeterAdded(beans::add);
        registry.config().onMeterRemoved(beans::remove);
        for (Meter m : registry.getMeters()) {
            beans.add(m);
        }
        return beans;
    }

    /** The object name of a meter's MBean. */
    public static ObjectName name(String brokerId, Meter.Id id) throws JMException {
        StringBuilder b = new StringBuilder(DOMAIN).append(":type=").append(ObjectName.quote(id.getName()))
                .append(",broker=").append(ObjectName.quote(brokerId));
        for (Tag t : id.getTags()) {
            String key = t.getKey().equals("type") || t.getKey().equals("broker") ? "tag_" + t.getKey() : t.getKey();
            b.append(',').append(key).append('=').append(ObjectName.quote(t.getValue()));
        }
        return new ObjectName(b.toString());
    }

    private void add(Meter meter) {
        if (closed) {
            return;
        }
        try {
            ObjectName name = name(brokerId, meter.getId());
            server.registerMBean(new MeterBean(meter), name);
            registered.put(meter.getId(), name);
            if (closed) {
                remove(meter); // close() ran while this registered: it may not have seen this one
            }
        } catch (InstanceAlreadyExistsException e) {
            // the same id again (a meter replaced): the old MBean is removed with the old meter
        } catch (JMException | RuntimeException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("meter {} not registered as an MBean", meter.getId(), e);
            }
        }
    }

    private void remove(Meter meter) {
        ObjectName name = registered.remove(meter.getId());
        if (name != null) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                // gone already
            } catch (JMException e) {
                LOG.debug("MBean {} not unregistered", name, e);
            }
        }
    }

    /** Unregisters every MBean of this broker. */
    public void close() {
        closed = true;
        for (Meter.Id id : List.copyOf(registered.keySet())) {
            ObjectName name = registered.remove(id);
            if (name == null) {
                // a meter removed meanwhile (remove, on another thread): unregistered there. Unregistering null
                // throws a RuntimeOperationsException, which once left a broker's close unfinished (SecurityFramesIT)
                continue;
            }
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                // gone already
            }
        }
    }

    /** One meter's statistics as read-only attributes, measured when read. */
    private static final class MeterBean implements DynamicMBean {
        private final Meter meter;
        private final MBeanInfo info;

        MeterBean(Meter meter) {
            this.meter = meter;
            List<MBeanAttributeInfo> attributes = new ArrayList<>();
            for (Measurement m : meter.measure()) {
                attributes.add(new MBeanAttributeInfo(attribute(m), "double", m.getStatistic().toString(), true,
                        false, false));
            }
            String description = meter.getId().getDescription();
            info = new MBeanInfo(MeterBean.class.getName(), description == null ? meter.getId().getName()
                    : description, attributes.toArray(new MBeanAttributeInfo[0]), null, null, null);
        }

        /** {@code TOTAL_TIME} becomes {@code TotalTime}. */
        private static String attribute(Measurement m) {
            StringBuilder b = new StringBuilder();
            for (String part : m.getStatistic().name().split("_")) {
                b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
            }
            return b.toString();
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            for (Measurement m : meter.measure()) {
                if (attribute(m).equals(attribute)) {
                    return m.getValue();
                }
            }
            throw new AttributeNotFoundException(attribute);
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            AttributeList list = new AttributeList();
            for (Measurement m : meter.measure()) {
                for (String a : attributes) {
                    if (attribute(m).equals(a)) {
                        list.add(new Attribute(a, m.getValue()));
                    }
                }
            }
            return list;
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
            throw new AttributeNotFoundException(attribute.getName() + " is read-only");
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            throw new UnsupportedOperationException(actionName);
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return info;
        }
    }
}
