/** Go-written service.json files used by the config tests. */

/** The sharness `config/basic_auth/service.json` (raft only, monbasic, numpin, "0h2m0s"). */
export const SHARNESS_BASIC_AUTH = {
  cluster: {
    peername: 'testname',
    secret: '84399cd0be811c2ca372d6ca473ffd73c09034f991c5e306fe9ada6c5fcfb641',
    leave_on_shutdown: false,
    listen_multiaddress: ['/ip4/0.0.0.0/tcp/9096', '/ip6/::/tcp/9096'],
    state_sync_interval: '1m0s',
    replication_factor: -1,
    monitor_ping_interval: '15s'
  },
  consensus: {
    raft: {
      heartbeat_timeout: '1s',
      election_timeout: '1s',
      commit_timeout: '50ms',
      max_append_entries: 64,
      trailing_logs: 10240,
      snapshot_interval: '2m0s',
      snapshot_threshold: 8192,
      leader_lease_timeout: '500ms'
    }
  },
  api: {
    ipfsproxy: {
      listen_multiaddress: '/ip4/127.0.0.1/tcp/9095',
      node_multiaddress: '/ip4/127.0.0.1/tcp/5001',
      read_timeout: '10m0s',
      read_header_timeout: '5s',
      write_timeout: '10m0s',
      idle_timeout: '1m0s'
    },
    restapi: {
      ssl_cert_file: '',
      ssl_key_file: '',
      http_listen_multiaddress: '/ip4/127.0.0.1/tcp/9094',
      read_timeout: '30s',
      read_header_timeout: '5s',
      write_timeout: '1m0s',
      idle_timeout: '2m0s',
      basic_auth_credentials: { testuser: 'testpass' },
      cors_allowed_origins: ['*'],
      cors_allowed_methods: ['GET'],
      cors_allowed_headers: [],
      cors_exposed_headers: ['Content-Type', 'X-Stream-Output', 'X-Chunked-Output', 'X-Content-Length'],
      cors_allow_credentials: true,
      cors_max_age: '0s'
    }
  },
  ipfs_connector: {
    ipfshttp: {
      node_multiaddress: '/ip4/127.0.0.1/tcp/5001',
      connect_swarms_delay: '30s',
      ipfs_request_timeout: '5m0s',
      pin_timeout: '0h2m0s',
      unpin_timeout: '3h0m0s'
    }
  },
  pin_tracker: { stateless: { max_pin_queue_size: 50000, concurrent_pins: 10 } },
  monitor: { monbasic: { check_interval: '15s' }, pubsubmon: { check_interval: '15s' } },
  informer: { disk: { metric_ttl: '30s', metric_type: 'reposize' }, numpin: { metric_ttl: '10s' } }
}

/** The sharness RSA identity (`QmdEtBs…`). */
export const SHARNESS_IDENTITY = {
  id: 'QmdEtBsfumeH2V6dnx1fgn8zuW7XYjWdgJF4NEYpEBcTsg',
  private_key: 'CAASqAkwggSkAgEAAoIBAQC/ZmfWDbwyI0nJdRxgHcTdEaBFQo8sky9E+OOvtwZa5WKoLdHyHOLWxCAdpIHUBbhxz5rkMEWLwPI6ykqLIJToMPO8lJbKVzphOjv4JwpiAPdmeSiYMKLjx5V8MpqU2rwj/Uf3sRL8Gg9/Tei3PZ8cftxN1rkQQeeaOtk0CBxUFZSHEsyut1fbgIeL7TAY+4vCmXW0DBr4wh9fnoES/YivOvSiN9rScgWg6N65LfkI78hzaOJ4Nok2S4vYFCxjTAI9NWFUbhP5eJIFzTU+bZuQZxOn2qsoyw8pNZwuF+JClA/RcgBcCvVZcDH2ueVq/zT++bGCN+EWsAEdvJqJ5bsjAgMBAAECggEAaGDUZ6t94mnUJ4UyQEh7v4OJP7wYkFqEAL0qjfzl/lPyBX1XbQ3Ltwul6AR6uMGV4JszARZCFwDWGLGRDWZrTmTDxyfRQ+9l6vfzFFVWGDQmtz+Dn9uGOWnyX5TJMDxJNec+hBmRHOKpaOd37dYxGz0jr19V9UO7piRJp1J1AHUCypUGv5x1IekioSCu5fEyc7dyWwnmITHBjD08st+bCcjrIUFeXSdJKC8SymYeXdaVE3xH3zVEISKnrfT7bhuKZY1iibZIlXbVLNpyX36LkYJOiCqsMum3u70LH0VvTypkqiDbD4S6qfJ4vvUakpmKpOPutikiP7jkSP+AkaO0AQKBgQDkTuhnDK6+Y0a/HgpHJisji0coO+g2gsIszargHk8nNY2AB8t+EUn7C+Qu8cmrem5V8EXcdxS6z7iAXpJmY1Xepnsz+JP7Q91Lgt3OoqK5EybzUXXKkmNCD65n70Xxn2fEFzm6+GJP3c/HymlDKU2KBCYIyuUeaREjT0Fu3v6tgQKBgQDWnXppJwn4LJHhzFOCeO4zomDJDbLTZCabdKZoFP9r+vtEHAnclDDKx4AYbomSqgERe+DX6HR/tPHRVizP63RYPf7al2mJmPzt1nTkoc1/q5hQoD+oE154dADsW1pUp7AQjwCtys4iq5S0qAwIDpuY8M8bOHwZ+QmBvHYAigJCowKBgQC3HH6TX/2rH463bE2MARXqXSPGJj45sigwrQfW1xhe9zm1LQtN4mn2mvP5nt1D1l82OA6gIzYSGtX8x10eF5/ggqAf78goZ6bOkHh76b8fNzgvQO97eGt5qYAVRjhP8azU/lfEGMEpE1s5/6LrRe41utwSg0C+YkBnlIKDfQDAgQKBgDoBTCF5hK9H1JHzuKpt5uubuo78ndWWnvyrNYKyEirsJddNwLiWcO2NqChyT8qNGkbQdX/Fex89F5KduPTlTYfAEc6g18xxxgK+UM+uj60vArbf6PSTb5gculcnha2VuPdwvx050Cb8uu9s7/uJfzKB+2f/B0O51ID1H+ubYWsDAoGBAKrwGKHyqFTHSPg3XuRA1FgDAoOsfzP9ZJvMEXUWyu/VxjNt+0mRlyGeZ5qb9UZG+K/In4FbC/ux2P/PucCUIbgy/XGPtPXVavMwNbx0MquAcU0FihKXP0CUpi8zwiYc42MF7n/SztQnismxigBMSuJEDurcXXazjfcSRTypduNn'
}

/** A Go `init` output (crdt + pebble) as in config.md §17, with extras from a real Go file. */
export const GO_FULL = {
  cluster: {
    peername: 'gopeer',
    secret: 'a'.repeat(64),
    leave_on_shutdown: false,
    listen_multiaddress: ['/ip4/0.0.0.0/tcp/9096', '/ip4/0.0.0.0/udp/9096/quic'],
    announce_multiaddress: [],
    no_announce_multiaddress: '/ip4/10.0.0.0/ipcidr/8',
    enable_relay_hop: true,
    connection_manager: { high_water: 400, low_water: 100, grace_period: '2m0s' },
    resource_manager: { enabled: true, memory_limit_bytes: 0, file_descriptors_limit: 0 },
    pubsub: { seen_messages_ttl: '30m0s', heartbeat_interval: '10s', d_factor: 4, history_gossip: 2, history_length: 6, flood_publish: false },
    dial_peer_timeout: '3s',
    state_sync_interval: '5m0s',
    pin_recover_interval: '12m0s',
    replication_factor_min: -1,
    replication_factor_max: -1,
    monitor_ping_interval: '15s',
    peer_watch_interval: '5s',
    mdns_interval: '10s',
    pin_only_on_trusted_peers: false,
    pin_only_on_untrusted_peers: false,
    disable_repinning: true,
    peer_addresses: []
  },
  consensus: {
    crdt: { cluster_name: 'ipfs-cluster', trusted_peers: ['*'], batching: { max_batch_size: 0, max_batch_age: '0s' }, repair_interval: '1h0m0s' }
  },
  api: {
    ipfsproxy: {
      listen_multiaddress: '/ip4/127.0.0.1/tcp/9095',
      node_multiaddress: '/ip4/127.0.0.1/tcp/5001',
      log_file: '',
      read_timeout: '0s',
      read_header_timeout: '5s',
      write_timeout: '0s',
      idle_timeout: '1m0s',
      max_header_bytes: 4096
    },
    pinsvcapi: {
      http_listen_multiaddress: '/ip4/127.0.0.1/tcp/9097',
      read_timeout: '0s',
      read_header_timeout: '5s',
      write_timeout: '0s',
      idle_timeout: '2m0s',
      max_header_bytes: 4096,
      basic_auth_credentials: null,
      http_log_file: '',
      headers: {},
      cors_allowed_origins: ['*'],
      cors_allowed_methods: ['GET'],
      cors_allowed_headers: [],
      cors_exposed_headers: ['Content-Type', 'X-Stream-Output', 'X-Chunked-Output', 'X-Content-Length'],
      cors_allow_credentials: true,
      cors_max_age: '0s'
    },
    restapi: {
      http_listen_multiaddress: '/ip4/127.0.0.1/tcp/9094',
      read_timeout: '0s',
      read_header_timeout: '5s',
      write_timeout: '0s',
      idle_timeout: '2m0s',
      max_header_bytes: 4096,
      basic_auth_credentials: null,
      http_log_file: '',
      headers: {},
      cors_allowed_origins: ['*'],
      cors_allowed_methods: ['GET'],
      cors_allowed_headers: [],
      cors_exposed_headers: ['Content-Type', 'X-Stream-Output', 'X-Chunked-Output', 'X-Content-Length'],
      cors_allow_credentials: true,
      cors_max_age: '0s'
    }
  },
  ipfs_connector: {
    ipfshttp: {
      node_multiaddress: '/ip4/127.0.0.1/tcp/5001',
      connect_swarms_delay: '30s',
      ipfs_request_timeout: '5m0s',
      pin_timeout: '2m0s',
      unpin_timeout: '3h0m0s',
      repogc_timeout: '24h0m0s',
      informer_trigger_interval: 0
    }
  },
  pin_tracker: { stateless: { concurrent_pins: 10, priority_pin_max_age: '24h0m0s', priority_pin_max_retries: 5 } },
  monitor: { pubsubmon: { check_interval: '15s' } },
  allocator: { balanced: { allocate_by: ['tag:group', 'freespace'] } },
  informer: {
    disk: { metric_ttl: '30s', metric_type: 'freespace' },
    pinqueue: { metric_ttl: '30s', weight_bucket_size: 100000 },
    tags: { metric_ttl: '30s', tags: { group: 'default' } }
  },
  observations: {
    metrics: { enable_stats: false, prometheus_endpoint: '/ip4/127.0.0.1/tcp/8888', reporting_interval: '30s' },
    tracing: { enable_tracing: false, jaeger_agent_endpoint: '/ip4/0.0.0.0/udp/6831', sampling_prob: 0.3, service_name: 'cluster-daemon' }
  },
  datastore: {
    pebble: {
      pebble_options: { cache_size_bytes: 1073741824, bytes_per_sync: 1048576, disable_wal: false, max_open_files: 1000, some_future_key: 1 }
    }
  },
  some_unknown_group: { anything: true }
}
