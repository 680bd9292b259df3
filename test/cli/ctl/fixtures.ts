/** Shared test data for the ctl tests. */

export const A = 'QmUBuxVHoNNjfmNpTad36UeaFQv3gXAtCv9r6KhmeqhEhD'
export const B = 'QmV35LjbEGPfN7KfMAJp43VV2enwXqqQf5esx4vUcgHDQJ'
export const C = 'QmZ2ckU7G35MYyJgMTwMUnicsGqSy3YUxGBX7qny6MQmJu'
export const X = 'QmXbiVZd93SLiu9TAm21F2y9JwGiFLydbEVkPBaMR3DZDV'
export const Y = 'QmPFKAGZbUjdzt8BBx8VTWCe9UeUQVcoqHFehSPzN5LSsq'
export const Z = 'QmbU7273zH6jxwDe2nqRmEm2rp5PpqP2xeQr2xCmwbBsuL'

/** The 3-peer example of ctl spec §6.4. */
export const THREE_PEERS = {
  cluster_id: A,
  id_to_peername: {},
  ipfs_links: { [X]: [Y, Z], [Y]: [X, Z], [Z]: [X, Y] },
  cluster_links: { [A]: [B, C], [B]: [A, C], [C]: [A, B] },
  cluster_trust_links: {},
  cluster_to_ipfs: { [A]: X, [B]: Y, [C]: Z }
}

export const THREE_PEERS_DOT = `digraph cluster {
/* The nodes of the connectivity graph */
/* The cluster-service peers */
subgraph  {
rank="min"
C0 [label=< <B>  </B> <BR/> <B> Qm*eqhEhD </B> > group="QmUBuxVHoNNjfmNpTad36UeaFQv3gXAtCv9r6KhmeqhEhD" color="orange" style="filled" colorscheme="x11" fontcolor="black" fontname="Arial" shape="box3d" peripheries="2" ]
C1 [label=< <B>  </B> <BR/> <B> Qm*cgHDQJ </B> > group="QmV35LjbEGPfN7KfMAJp43VV2enwXqqQf5esx4vUcgHDQJ" color="darkorange3" style="filled" colorscheme="x11" fontcolor="black" fontname="Arial" shape="box3d" ]
C2 [label=< <B>  </B> <BR/> <B> Qm*6MQmJu </B> > group="QmZ2ckU7G35MYyJgMTwMUnicsGqSy3YUxGBX7qny6MQmJu" color="darkorange3" style="filled" colorscheme="x11" fontcolor="black" fontname="Arial" shape="box3d" ]
}

/* The ipfs peers */
subgraph  {
rank="max"
I0 [label=< <B> IPFS </B> <BR/> <B> Qm*N5LSsq </B> > group="QmPFKAGZbUjdzt8BBx8VTWCe9UeUQVcoqHFehSPzN5LSsq" color="turquoise3" style="filled" colorscheme="x11" fontcolor="black" fontname="Arial" shape="cylinder" ]
I1 [label=< <B> IPFS </B> <BR/> <B> Qm*R3DZDV </B> > group="QmXbiVZd93SLiu9TAm21F2y9JwGiFLydbEVkPBaMR3DZDV" color="turquoise3" style="filled" colorscheme="x11" fontcolor="black" fontname="Arial" shape="cylinder" ]
I2 [label=< <B> IPFS </B> <BR/> <B> Qm*wbBsuL </B> > group="QmbU7273zH6jxwDe2nqRmEm2rp5PpqP2xeQr2xCmwbBsuL" color="turquoise3" style="filled" colorscheme="x11" fontcolor="black" fontname="Arial" shape="cylinder" ]
}

/* Edges representing active connections in the cluster */
/* The connections among cluster-service peers */
C0 -> C1
C0 -> C2
C1 -> C0
C1 -> C2
C2 -> C0
C2 -> C1

/* The connections between cluster peers and their ipfs daemons */
C0 -> I1
C1 -> I0
C2 -> I2

/* The swarm peer connections among ipfs daemons in the cluster */
I0 -> I1
I0 -> I2
I1 -> I0
I1 -> I2
I2 -> I1
I2 -> I0
}`


/** A self-signed test certificate for 127.0.0.1/localhost (100 years) and its key. */
export const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0Z8bGNjvZeqMpUl6
V/Ld9ozya0hQLyonwhIQ9IHRVGChRANCAASWbeT7lpAGq0/Ss1MlNkmpxsax+jM8
/otcISKZbmMHZCu2+sGaOVW0v4QtmKFpCwTPMKu5atvXKlTn5ESKv58N
-----END PRIVATE KEY-----
`
export const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUK4kg6AraV58N8FNQZFEcOuvjSiwwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjAyNDM0MVoYDzIxMjYxMDI5
MDI0MzQxWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASWbeT7lpAGq0/Ss1MlNkmpxsax+jM8/otcISKZbmMHZCu2+sGaOVW0
v4QtmKFpCwTPMKu5atvXKlTn5ESKv58No28wbTAdBgNVHQ4EFgQUpvsfhdoEvG34
ENuW+hOL6V3ey/owHwYDVR0jBBgwFoAUpvsfhdoEvG34ENuW+hOL6V3ey/owDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAJvlnZiumcqIF5Lp1iaWl1GXDsd7gGaEpWwvuJno+HxfAiEA
x5BDjfoQMGK+qIb1K9G43SyBXYbf/cEdDiZpPUqWQss=
-----END CERTIFICATE-----
`
