# Sourced by the gateway bench scripts: start_backend DIR PORT [taskset cpus] starts one nginx worker answering every
# request with a small JSON body on 127.0.0.1:PORT, and adds its pid to the caller's pids array.
start_backend() {
  local dir=$1 port=$2 cpus=${3:-}
  mkdir -p "$dir/logs" "$dir/tmp"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $dir/nginx.pid; error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; client_body_temp_path $dir/tmp;
  server { listen 127.0.0.1:$port; default_type application/json;
    location / { return 200 '{"status":"ok"}'; } } }
CONF
  if [[ -n $cpus ]]; then
    taskset -c "$cpus" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" &
  else
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" &
  fi
  pids+=($!)
}
