//! PostgreSQL: catalogue, sampling and column scanning over `tokio-postgres`.

use std::sync::Arc;
use std::time::Instant;

use futures_util::{StreamExt, TryStreamExt, pin_mut};
use tokio_postgres::{Client, Config, NoTls, Row, SimpleQueryMessage};

use super::{
    ColumnAge, DbKind, DbOptions, DbTarget, TableFilter, TableScan, is_record_time, quote_pg,
    sample_percent,
};
use crate::classification::column::ColumnProfiler;
use crate::detection::Engine;
use crate::error::{Error, Result};

/// A relation from the catalogue.
#[derive(Debug, Clone)]
struct Relation {
    oid: i64,
    schema: String,
    name: String,
    relkind: String,
    estimate: Option<u64>,
    columns: Vec<Column>,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    data_type: String,
    category: String,
    type_name: String,
}

fn db_error(target: &DbTarget, what: &str, e: &tokio_postgres::Error) -> Error {
    Error::Database {
        target: target.display(),
        message: format!("{what}: {}", describe(e)),
    }
}

/// A PostgreSQL error in one line: the server's message when there is one.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => {
            let s = e.to_string();
            match std::error::Error::source(e) {
                Some(src) => format!("{s}: {src}"),
                None => s,
            }
        }
    }
}

/// The connection settings: the URL, then `PGUSER`/`USER`, `PGPASSWORD` and `.pgpass`.
fn config(target: &DbTarget) -> Result<Config> {
    let mut config: Config = target.url().parse().map_err(|e| Error::Database {
        target: target.display(),
        message: format!("invalid URL: {e}"),
    })?;
    if config.get_user().is_none()
        && let Ok(u) = std::env::var("PGUSER").or_else(|_| std::env::var("USER"))
    {
        config.user(u);
    }
    if config.get_dbname().is_none()
        && let Some(u) = config.get_user().map(String::from)
    {
        config.dbname(u);
    }
    if config.get_password().is_none() {
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
            _ => "localhost".to_string(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let password = std::env::var("PGPASSWORD").ok().or_else(|| {
            super::pgpass(
                &host,
                port,
                config.get_dbname().unwrap_or(""),
                config.get_user().unwrap_or(""),
            )
        });
        if let Some(p) = password {
            config.password(p);
        }
    }
    Ok(config)
}

/// TLS for `sslmode=prefer` and `sslmode=require`. As with libpq, these modes encrypt the
/// connection without verifying the server's certificate (libpq verifies only with
/// `verify-ca`/`verify-full`, which tokio-postgres does not offer); the handshake's signatures
/// are still checked.
fn tls() -> Option<tokio_postgres_rustls::MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(NoIdentityCheck(provider)))
        .with_no_client_auth();
    Some(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Accepts any server certificate, verifying only the handshake signatures (libpq's
/// `require` semantics).
#[derive(Debug)]
struct NoIdentityCheck(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoIdentityCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

async fn connect(config: &Config, target: &DbTarget) -> Result<Client> {
    let tls = match config.get_ssl_mode() {
        tokio_postgres::config::SslMode::Disable => None,
        _ => tls(),
    };
    let result = match tls {
        None => config.connect(NoTls).await.map(|(client, conn)| {
            tokio::spawn(conn);
            client
        }),
        Some(tls) => config.connect(tls).await.map(|(client, conn)| {
            tokio::spawn(conn);
            client
        }),
    };
    result.map_err(|e| db_error(target, "cannot connect", &e))
}

const RELATIONS: &str = "
SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text,
       CASE WHEN c.relkind = 'p' THEN
              (SELECT sum(greatest(c2.reltuples, 0))::int8 FROM pg_partition_tree(c.oid) t
                 JOIN pg_class c2 ON c2.oid = t.relid WHERE t.isleaf)
            WHEN c.reltuples < 0 THEN NULL
            ELSE c.reltuples::int8 END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
ORDER BY 2, 3";

const COLUMNS: &str = "
SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod),
       t.typcategory::text, t.typname::text
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY a.attrelid, a.attnum";

async fn catalogue(client: &Client, target: &DbTarget) -> Result<Vec<Relation>> {
    let rels = client
        .query(RELATIONS, &[])
        .await
        .map_err(|e| db_error(target, "reading the catalogue", &e))?;
    let cols = client
        .query(COLUMNS, &[])
        .await
        .map_err(|e| db_error(target, "reading the catalogue", &e))?;
    let get = |r: &Row, i: usize| r.try_get::<_, String>(i).unwrap_or_default();
    let mut out: Vec<Relation> = rels
        .iter()
        .map(|r| Relation {
            oid: r.try_get(0).unwrap_or(0),
            schema: get(r, 1),
            name: get(r, 2),
            relkind: get(r, 3),
            estimate: r
                .try_get::<_, Option<i64>>(4)
                .ok()
                .flatten()
                .map(|n| n.max(0) as u64),
            columns: Vec::new(),
        })
        .collect();
    for c in &cols {
        let oid: i64 = c.try_get(0).unwrap_or(0);
        if let Some(rel) = out.iter_mut().find(|r| r.oid == oid) {
            rel.columns.push(Column {
                name: get(c, 1),
                data_type: get(c, 2),
                category: get(c, 3),
                type_name: get(c, 4),
            });
        }
    }
    Ok(out)
}

/// The SQL expression that reads a column as text, or `None` when the type is not scanned.
fn text_expr(c: &Column, scan_blobs: bool) -> Option<String> {
    let q = quote_pg(&c.name);
    match (c.category.as_str(), c.type_name.as_str()) {
        (_, "bytea") if scan_blobs => Some(format!("encode({q}, 'escape')")),
        (_, "bytea") => None,
        (_, "float4" | "float8" | "money") => None,
        ("S" | "U" | "A" | "E" | "N" | "D" | "I", _) => Some(format!("{q}::text")),
        _ => None,
    }
}

fn relation_kind(relkind: &str) -> &'static str {
    match relkind {
        "p" => "partitioned_table",
        "v" => "view",
        "m" => "materialized_view",
        "f" => "foreign_table",
        _ => "table",
    }
}

/// Scans every table of `target`, calling `emit` for each as it finishes. Fails only when the
/// database cannot be reached or its catalogue read; per-table problems are recorded in the
/// table's [`TableScan::error`].
pub fn scan(
    engine: &Engine,
    target: &DbTarget,
    options: &DbOptions,
    emit: &mut dyn FnMut(TableScan),
) -> Result<()> {
    let filter = TableFilter::new(options)?;
    let runtime = super::runtime(target)?;
    runtime.block_on(async {
        let config = config(target)?;
        let first = connect(&config, target).await?;
        let database = config.get_dbname().unwrap_or("").to_string();
        let relations: Vec<Relation> = catalogue(&first, target)
            .await?
            .into_iter()
            .filter(|r| filter.allows(&database, &r.schema, &r.name))
            .collect();
        let wanted = options.connections.max(1).min(relations.len().max(1));
        let mut clients = vec![first];
        while clients.len() < wanted {
            match connect(&config, target).await {
                Ok(c) => clients.push(c),
                Err(_) => break,
            }
        }
        let width = clients.len();
        let pool = std::cell::RefCell::new(clients);
        let emit = std::cell::RefCell::new(emit);
        // Tables run concurrently on this thread: queries overlap, value scanning takes turns.
        futures_util::stream::iter(relations)
            .for_each_concurrent(width, |rel| {
                let (pool, emit, config, database) = (&pool, &emit, &config, &database);
                async move {
                    let taken = pool.borrow_mut().pop();
                    let client = match taken {
                        Some(c) if !c.is_closed() => Some(c),
                        // A lost connection is replaced once.
                        _ => connect(config, target).await.ok(),
                    };
                    let scan = match &client {
                        Some(c) => scan_table(c, engine, options, database, &rel).await,
                        None => failed(database, &rel, "connection lost and could not reconnect"),
                    };
                    match client {
                        Some(c) if !c.is_closed() => pool.borrow_mut().push(c),
                        _ => {
                            if let Ok(c) = connect(config, target).await {
                                pool.borrow_mut().push(c);
                            }
                        }
                    }
                    (emit.borrow_mut())(scan);
                }
            })
            .await;
        Ok(())
    })
}

fn failed(database: &str, rel: &Relation, reason: &str) -> TableScan {
    TableScan {
        kind: DbKind::Postgres,
        database: database.to_string(),
        schema: rel.schema.clone(),
        table: rel.name.clone(),
        relation: relation_kind(&rel.relkind).to_string(),
        rows_total: rel.estimate,
        rows_read: 0,
        sampled: false,
        columns: Vec::new(),
        ages: Vec::new(),
        error: Some(reason.to_string()),
        seconds: 0.0,
    }
}

async fn scan_table(
    client: &Client,
    engine: &Engine,
    options: &DbOptions,
    database: &str,
    rel: &Relation,
) -> TableScan {
    let started = Instant::now();
    let mut out = failed(database, rel, "");
    out.error = None;
    let timeout_ms = options.statement_timeout.as_millis();
    let begin = format!(
        "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = {timeout_ms}"
    );
    if let Err(e) = client.batch_execute(&begin).await {
        out.error = Some(describe(&e));
        return out;
    }
    let result = scan_in_transaction(client, engine, options, rel, &mut out).await;
    let _ = client.batch_execute("ROLLBACK").await;
    if let Err(e) = result {
        out.error = Some(describe(&e));
    }
    out.seconds = started.elapsed().as_secs_f64();
    out
}

async fn scan_in_transaction(
    client: &Client,
    engine: &Engine,
    options: &DbOptions,
    rel: &Relation,
    out: &mut TableScan,
) -> std::result::Result<(), tokio_postgres::Error> {
    let table = format!("{}.{}", quote_pg(&rel.schema), quote_pg(&rel.name));
    let scanned: Vec<(usize, String)> = rel
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| text_expr(c, options.scan_blobs).map(|e| (i, e)))
        .collect();
    let is_view = matches!(rel.relkind.as_str(), "v" | "f");
    // Views and foreign tables have no row count in the catalogue: the planner's estimate
    // sizes their sample without reading them.
    let mut estimate = if is_view { None } else { rel.estimate };
    if is_view && !options.full {
        let plan = client
            .simple_query(&format!("EXPLAIN (FORMAT JSON) SELECT * FROM {table}"))
            .await?;
        estimate = plan.iter().find_map(|m| match m {
            SimpleQueryMessage::Row(r) => r
                .get(0)
                .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                .and_then(|v| v[0]["Plan"]["Plan Rows"].as_f64())
                .map(|n| n.max(0.0) as u64),
            _ => None,
        });
    }
    if estimate.is_none() && !options.full {
        let row = client
            .query_one(&format!("SELECT count(*)::int8 FROM {table}"), &[])
            .await?;
        estimate = row.try_get::<_, i64>(0).ok().map(|n| n.max(0) as u64);
    }
    let total = estimate.unwrap_or(0);
    let sample = !options.full && total > options.sample_rows;
    let exprs = super::select_list(&scanned);
    let sql = if !sample {
        if options.full {
            format!("SELECT {exprs} FROM {table}")
        } else {
            format!("SELECT {exprs} FROM {table} LIMIT {}", options.sample_rows)
        }
    } else if is_view {
        let p = sample_percent(options.sample_rows, total) / 100.0;
        format!(
            "SELECT {exprs} FROM {table} WHERE random() < {p} LIMIT {}",
            options.sample_rows
        )
    } else {
        let p = sample_percent(options.sample_rows, total);
        format!(
            "SELECT {exprs} FROM {table} TABLESAMPLE SYSTEM ({p}) LIMIT {}",
            options.sample_rows
        )
    };
    let mut profilers: Vec<ColumnProfiler<'_>> = scanned
        .iter()
        .map(|(i, _)| ColumnProfiler::new(engine, &rel.columns[*i].name))
        .collect();
    let mut undecodable = vec![0u64; scanned.len()];
    let mut scratch = engine.scratch();
    let stream = client
        .query_raw(
            &sql,
            std::iter::empty::<&(dyn tokio_postgres::types::ToSql + Sync)>(),
        )
        .await?;
    pin_mut!(stream);
    let mut rows = 0u64;
    let mut stream_error = None;
    loop {
        match stream.try_next().await {
            Ok(Some(row)) => {
                rows += 1;
                for (k, p) in profilers.iter_mut().enumerate() {
                    match row.try_get::<_, Option<&str>>(k) {
                        Ok(Some(v)) => p.add(&mut scratch, v.as_bytes()),
                        Ok(None) => p.add_null(),
                        Err(_) => undecodable[k] += 1,
                    }
                }
            }
            Ok(None) => break,
            // Keep what was read before the error (timeout, lost connection).
            Err(e) => {
                stream_error = Some(e);
                break;
            }
        }
    }
    out.read(
        rows,
        sample,
        options.full && stream_error.is_none(),
        estimate,
    );
    out.columns = super::column_scans(
        rel.columns
            .iter()
            .map(|c| (c.name.as_str(), c.data_type.as_str())),
        &scanned,
        &profilers,
        &undecodable,
    );
    if let Some(e) = stream_error {
        return Err(e);
    }
    // Data age from record-time columns.
    for c in rel
        .columns
        .iter()
        .filter(|c| c.category == "D" && c.type_name != "interval" && is_record_time(&c.name))
        .take(3)
    {
        let q = quote_pg(&c.name);
        let row = client
            .query_one(
                &format!("SELECT min({q})::text, max({q})::text, count({q})::int8 FROM {table}"),
                &[],
            )
            .await?;
        let histogram = client
            .simple_query(&format!(
                "SELECT to_char(date_trunc('month', {q}), 'YYYY-MM'), count(*) FROM {table} WHERE {q} IS NOT NULL GROUP BY 1 ORDER BY 1"
            ))
            .await?
            .into_iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(r) => Some((
                    r.get(0).unwrap_or("").to_string(),
                    r.get(1).and_then(|n| n.parse().ok()).unwrap_or(0),
                )),
                _ => None,
            })
            .collect();
        out.ages.push(ColumnAge {
            column: c.name.clone(),
            oldest: row.try_get(0).ok().flatten(),
            newest: row.try_get(1).ok().flatten(),
            records: row.try_get::<_, i64>(2).map_or(0, |n| n.max(0) as u64),
            histogram,
        });
    }
    Ok(())
}
