package io.steward.server.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a pooled connection so that each statement it runs is timed and reported to a
 * {@link QueryObserver}, whichever repository runs it. Only the {@code execute…} calls are timed,
 * not the reading of their results. {@code unwrap} reaches the driver's own connection (the demo
 * loader's COPY goes that way, unobserved).
 */
final class ObservedConnection {
    private static final Set<String> EXECUTE = Set.of(
            "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private ObservedConnection() {}

    static Connection wrap(Connection connection, QueryObserver observer) {
        if (observer == QueryObserver.NONE) {
            return connection;
        }
        return proxy(Connection.class, connection, (proxy, method, args) -> {
            Object result = invoke(connection, method, args);
            String name = method.getName();
            if (result instanceof PreparedStatement ps
                    && (name.equals("prepareStatement") || name.equals("prepareCall"))) {
                return statement(PreparedStatement.class, ps, (String) args[0], observer);
            }
            if (result instanceof Statement s && name.equals("createStatement")) {
                return statement(Statement.class, s, null, observer);
            }
            return result;
        });
    }

    private static <S extends Statement> S statement(
            Class<S> type, S statement, @Nullable String preparedSql, QueryObserver observer) {
        return proxy(type, statement, (proxy, method, args) -> {
            if (!EXECUTE.contains(method.getName())) {
                return invoke(statement, method, args);
            }
            String sql = preparedSql != null ? preparedSql : args != null && args.length > 0 ? (String) args[0] : "";
            long started = System.nanoTime();
            boolean failed = true;
            try {
                Object result = invoke(statement, method, args);
                failed = false;
                return result;
            } finally {
                observer.executed(sql, System.nanoTime() - started, failed);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(ObservedConnection.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static @Nullable Object invoke(Object target, Method method, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
