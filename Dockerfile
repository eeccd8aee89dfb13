# IMS Lab, headless: the SIP core plus the HTTP/WebSocket console, no Electron.
# Build:  docker build -t ims-lab .
# Run:    docker run --rm -e SERVER_IP=<this host's address> -p 5060:5060/udp -p 5060:5060/tcp -p 8888:8888 \
#           -v ims-data:/data ims-lab
#         (SERVER_IP: the address phones reach; left out, the container's own bridge address goes into
#         Via and Record-Route and in-dialog requests from outside cannot come back. Or --network host,
#         which the auto dialer's SIP and RTP ports also need unless published: README, Docker.)

# --- build: compile the bundles, then keep only production dependencies ---
FROM node:22-slim AS build
# python3, make and g++ build better-sqlite3's native module from source when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Electron is a devDependency; it fetches its binary only at first launch, never during npm ci.
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# --- runtime: the built tree at /app, so /app/core/server.js is the headless entry ---
FROM node:22-slim
# The original's image ran in Asia/Shanghai: its CDR day files, record_ids and log days are that time's,
# and IMS Lab's follow the same clock unless told otherwise (docker run -e TZ=Europe/Paris, TZ=UTC).
# Node reads the zone from its own ICU data: the slim image needs no tzdata.
ENV NODE_ENV=production \
  IMS_DATA_DIR=/data \
  TZ=Asia/Shanghai
WORKDIR /app
COPY --from=build /src/out/ ./
COPY --from=build /src/node_modules/ ./node_modules/
COPY --from=build /src/media/ ./media/
COPY --from=build /src/package.json ./
# Run as the image's unprivileged node user; /data is created owned by it so a fresh volume is writable,
# and 0700 (its logs and CDRs hold SIP messages): a new named volume takes this folder's mode, and a 0755
# one started every container with a WARNING that the data folder was open to other users (made 0700).
RUN install -d -o node -g node -m 700 /data
USER node
VOLUME /data
# SIP (UDP/TCP, TLS, WS, WSS), the console, and the auto dialer's SIP port (DIALER.LOCAL_PORT) and RTP
# ports (DIALER.RTP_PORT_MIN..MAX): without them an answered dialer call gets no RTP back. Docker publishes
# a range port by port, so with bridge networking narrow the dialer's range and publish that (README, Docker).
EXPOSE 5060/udp 5060/tcp 5061/tcp 5066/tcp 7443/tcp 8888 10000/udp 20000-30000/udp
# /healthz answers without a login; the image has no curl, so Node's fetch asks it where the console
# listens: the running server's console-address.json in the data folder (written once it listens: the port
# in use, not a SAVE CFG'd HTTP.PORT waiting for a restart), else HTTP_HOST/HTTP_PORT, else config.json's.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const fs=require('fs'),d=process.env.IMS_DATA_DIR||'data';let c={},r={};try{r=JSON.parse(fs.readFileSync(d+'/console-address.json','utf8'))}catch(e){}try{c=JSON.parse(fs.readFileSync(d+'/config.json','utf8').replace(/^\\uFEFF/,''))}catch(e){}const g=k=>{for(const x in c)if(x.toUpperCase()===k)return c[x]};const h=r.host||process.env.HTTP_HOST||g('HTTP.HOST')||'0.0.0.0',a=h==='0.0.0.0'?'127.0.0.1':h==='::'?'[::1]':h.includes(':')?'['+h+']':h;fetch('http://'+a+':'+(r.port||process.env.HTTP_PORT||g('HTTP.PORT')||8888)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8's own young generation; PERF.GC_HEADROOM_MB paces the full collections (README, Performance).
CMD ["node", "core/server.js"]
