package io.kimiproxy.api;

import io.kimiproxy.api.wiring.Foundation;
import io.kimiproxy.api.wiring.Module;
import io.vertx.ext.web.Router;
import java.util.List;

/** The reloadable part of the server: one configuration, its own modules and the routes built over them. */
record Generation(Foundation foundation, List<Module> modules, Router router) {}
