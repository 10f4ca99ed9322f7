package io.mambarec.storage;

import javax.sql.DataSource;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * The checkpoint repositories with chunks of a few KiB, transactional as the service's beans: a
 * small test checkpoint then spans many chunks.
 */
public final class SmallChunkCheckpoints {

    private SmallChunkCheckpoints() {}

    public static CheckpointRepository training(DataSource data, PlatformTransactionManager tx, int chunkBytes) {
        return transactional(new CheckpointRepository(new JdbcTemplate(data), chunkBytes), tx);
    }

    public static SearchCheckpointRepository search(DataSource data, PlatformTransactionManager tx, int chunkBytes) {
        return transactional(new SearchCheckpointRepository(new JdbcTemplate(data), chunkBytes), tx);
    }

    @SuppressWarnings("unchecked")
    private static <T> T transactional(T target, PlatformTransactionManager tx) {
        ProxyFactory proxy = new ProxyFactory(target);
        proxy.setProxyTargetClass(true);
        proxy.addAdvice(new TransactionInterceptor(tx, new AnnotationTransactionAttributeSource()));
        return (T) proxy.getProxy();
    }
}
