// Environment variables that official base images define (their `ENV` lines), so that
// `ARG VERSION=$PYTHON_VERSION` on `python:3.12` is not called undefined. BuildKit reads the real
// image config; ci-medic is offline, so it knows the common images and stays cautious elsewhere.

const COMMON = ['PATH'];

const BY_IMAGE: Record<string, string[]> = {
  scratch: [],
  alpine: [],
  busybox: [],
  debian: [],
  ubuntu: [],
  centos: [],
  fedora: [],
  rockylinux: [],
  almalinux: [],
  'amazonlinux': [],
  python: ['LANG', 'GPG_KEY', 'PYTHON_VERSION', 'PYTHON_SHA256', 'PYTHON_PIP_VERSION', 'PYTHON_SETUPTOOLS_VERSION', 'PYTHON_GET_PIP_URL', 'PYTHON_GET_PIP_SHA256'],
  node: ['NODE_VERSION', 'YARN_VERSION'],
  golang: ['GOLANG_VERSION', 'GOPATH', 'GOTOOLCHAIN'],
  openjdk: ['JAVA_HOME', 'JAVA_VERSION', 'LANG'],
  'eclipse-temurin': ['JAVA_HOME', 'JAVA_VERSION', 'LANG', 'LANGUAGE', 'LC_ALL'],
  maven: ['JAVA_HOME', 'JAVA_VERSION', 'LANG', 'LANGUAGE', 'LC_ALL', 'MAVEN_HOME', 'MAVEN_CONFIG'],
  gradle: ['JAVA_HOME', 'JAVA_VERSION', 'LANG', 'LANGUAGE', 'LC_ALL', 'GRADLE_HOME', 'GRADLE_VERSION'],
  ruby: ['LANG', 'RUBY_VERSION', 'RUBY_DOWNLOAD_SHA256', 'RUBY_DOWNLOAD_URL', 'GEM_HOME', 'BUNDLE_SILENCE_ROOT_WARNING', 'BUNDLE_APP_CONFIG'],
  php: ['PHPIZE_DEPS', 'PHP_INI_DIR', 'PHP_CFLAGS', 'PHP_CPPFLAGS', 'PHP_LDFLAGS', 'GPG_KEYS', 'PHP_VERSION', 'PHP_URL', 'PHP_ASC_URL', 'PHP_SHA256', 'APACHE_CONFDIR', 'APACHE_ENVVARS'],
  nginx: ['NGINX_VERSION', 'NJS_VERSION', 'NJS_RELEASE', 'PKG_RELEASE', 'DYNPKG_RELEASE'],
  httpd: ['HTTPD_PREFIX', 'HTTPD_VERSION', 'HTTPD_SHA256', 'HTTPD_PATCHES'],
  rust: ['RUSTUP_HOME', 'CARGO_HOME', 'RUST_VERSION'],
  docker: ['DOCKER_VERSION', 'DOCKER_BUILDX_VERSION', 'DOCKER_COMPOSE_VERSION', 'DOCKER_TLS_CERTDIR', 'DIND_COMMIT'],
  postgres: ['GOSU_VERSION', 'LANG', 'PG_MAJOR', 'PG_VERSION', 'PGDATA'],
  mysql: ['GOSU_VERSION', 'MYSQL_MAJOR', 'MYSQL_VERSION', 'MYSQL_SHELL_VERSION'],
  redis: ['REDIS_VERSION', 'REDIS_DOWNLOAD_URL', 'REDIS_DOWNLOAD_SHA'],
  dotnet: ['APP_UID', 'ASPNETCORE_HTTP_PORTS', 'DOTNET_RUNNING_IN_CONTAINER', 'DOTNET_VERSION', 'ASPNET_VERSION', 'DOTNET_SDK_VERSION'],
};

/**
 * Env names a base image defines, or undefined when the image is not one ci-medic knows
 * (its env may hold anything, so undefined-variable findings must be careful there).
 */
export function baseImageEnv(image: string): Set<string> | undefined {
  let name = image.toLowerCase().split('@')[0]!;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  name = name.replace(/^(?:docker\.io\/)?(?:library\/)?/, '');
  const mcr = /^mcr\.microsoft\.com\/dotnet\//.test(name);
  const known = mcr ? BY_IMAGE.dotnet : BY_IMAGE[name];
  return known ? new Set([...COMMON, ...known]) : undefined;
}
