/**
 * Classes of the test webapps that {@link io.warren.it.servlet.JettyWebapps} deploys: copied into
 * each webapp's WEB-INF/classes, so the webapp's class loader loads them beside Warren's jars in
 * WEB-INF/lib, as it would an application's own code.
 */
package io.warren.it.servlet.app;
