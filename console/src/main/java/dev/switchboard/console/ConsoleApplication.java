package dev.switchboard.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The console: the pages agents, owners and finance work in, served behind the gateway.
 * It signs users in with OpenID Connect, keeps their tokens in the server-side session
 * and calls the public API through the gateway on their behalf (backend-for-frontend).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

	public static void main(String[] args) {
		SpringApplication.run(ConsoleApplication.class, args);
	}

}
